import { DiscoveryPanel } from './DiscoveryPanel';

export const API_DOCS_PATH = '/admin/api/docs';

/** Landing page of the dashboard until the admin console arrives with the authorization code flow. */
export function App() {
  return (
    <div className="page">
      <header className="site-header">
        <h1>Tessera</h1>
        <p className="tagline">Multi-tenant OAuth 2.0 and OpenID Connect authorization server</p>
      </header>

      <main className="content">
        <DiscoveryPanel />

        <section className="card" aria-labelledby="console-heading">
          <h2 id="console-heading">Admin console</h2>
          <p>
            Sign-in to the admin console arrives with the authorization code flow. Until then, manage tenants, clients
            and users through the admin API.
          </p>
          <p>
            <a className="button-link" href={API_DOCS_PATH}>
              Admin API documentation
            </a>
          </p>
        </section>
      </main>
    </div>
  );
}
