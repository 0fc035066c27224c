import { DISCOVERY_PATH, type DiscoveryDocument, listEndpoints, useDiscovery } from './useDiscovery';

/** Shows the admin tenant's issuer and the endpoints its discovery document lists. */
export function DiscoveryPanel() {
  const { state, reload } = useDiscovery();

  return (
    <section className="card" aria-labelledby="discovery-heading" aria-busy={state.status === 'loading'}>
      <h2 id="discovery-heading">Admin tenant</h2>
      <p className="muted">
        From <a href={DISCOVERY_PATH}><code>{DISCOVERY_PATH}</code></a>
      </p>

      {state.status === 'loading' && (
        <p role="status" className="muted">
          Loading the discovery document…
        </p>
      )}

      {state.status === 'error' && (
        <div role="alert" className="error">
          <p>
            <strong>Could not load the discovery document.</strong> {state.message}
          </p>
          <button type="button" onClick={reload}>
            Try again
          </button>
        </div>
      )}

      {state.status === 'loaded' && (
        <>
          <dl className="metadata">
            <dt>Issuer</dt>
            <dd>
              <code data-testid="issuer">{state.document.issuer}</code>
            </dd>
          </dl>
          <h3>Endpoints</h3>
          <EndpointList document={state.document} />
        </>
      )}
    </section>
  );
}

function EndpointList({ document }: { document: DiscoveryDocument }) {
  const endpoints = listEndpoints(document);
  if (endpoints.length === 0) return <p className="muted">The document lists no endpoints.</p>;
  return (
    <dl className="endpoints" aria-label="Endpoints">
      {endpoints.map(({ name, url }) => (
        <div key={name} className="endpoint">
          <dt>
            <code>{name}</code>
          </dt>
          <dd>
            <code>{url}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}
