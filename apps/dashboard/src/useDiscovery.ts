import { useCallback, useEffect, useState } from 'react';

/** The admin tenant's OpenID Provider metadata (OIDC Discovery 1.0 section 4, RFC 8414 section 3). */
export const DISCOVERY_PATH = '/t/admin/.well-known/openid-configuration';

export interface DiscoveryDocument {
  issuer: string;
  [member: string]: unknown;
}

export interface Endpoint {
  /** The metadata member name as it appears on the wire, e.g. `token_endpoint`. */
  name: string;
  url: string;
}

export type DiscoveryState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'loaded'; document: DiscoveryDocument };

/**
 * Every endpoint URL the document lists, in document order: members named `*_endpoint`
 * plus `jwks_uri` (RFC 8414 section 2).
 */
export function listEndpoints(document: DiscoveryDocument): Endpoint[] {
  return Object.entries(document).flatMap(([name, value]) =>
    (name.endsWith('_endpoint') || name === 'jwks_uri') && typeof value === 'string' ? [{ name, url: value }] : [],
  );
}

export async function fetchDiscovery(signal?: AbortSignal): Promise<DiscoveryDocument> {
  const response = await fetch(DISCOVERY_PATH, { headers: { accept: 'application/json' }, signal });
  if (!response.ok) throw new Error(`The server answered HTTP ${response.status}.`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new Error('The server did not answer with JSON.');
  }
  if (typeof body !== 'object' || body === null || typeof (body as { issuer?: unknown }).issuer !== 'string') {
    throw new Error('The answer is not a discovery document: it has no issuer.');
  }
  return body as DiscoveryDocument;
}

/** Loads the discovery document once on mount; `reload` fetches it again. */
export function useDiscovery(): { state: DiscoveryState; reload: () => void } {
  const [state, setState] = useState<DiscoveryState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    // Aborting on cleanup drops answers that arrive after unmount or after a newer attempt.
    const controller = new AbortController();
    setState({ status: 'loading' });
    fetchDiscovery(controller.signal).then(
      (document) => setState({ status: 'loaded', document }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, reload };
}
