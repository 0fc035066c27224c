import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { DISCOVERY_PATH } from './useDiscovery';

const issuer = 'https://auth.example.test/t/admin';
const discoveryDocument = {
  issuer,
  authorization_endpoint: `${issuer}/oauth2/authorize`,
  token_endpoint: `${issuer}/oauth2/token`,
  userinfo_endpoint: `${issuer}/oauth2/userinfo`,
  jwks_uri: `${issuer}/oauth2/jwks`,
  revocation_endpoint: `${issuer}/oauth2/revoke`,
  introspection_endpoint: `${issuer}/oauth2/introspect`,
  response_types_supported: ['code'],
  token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function stubFetch(...answers: Array<() => Promise<Response>>) {
  const fetchMock = vi.fn<typeof fetch>();
  for (const answer of answers) fetchMock.mockImplementationOnce(answer);
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

// Without Vitest globals, Testing Library does not clean up by itself.
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('App', () => {
  it('shows a loading status while the discovery document is on its way', () => {
    const fetchMock = stubFetch(() => new Promise<Response>(() => {}));
    render(<App />);

    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Tessera');
    expect(screen.getByRole('status').textContent).toMatch(/loading/i);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(fetchMock).toHaveBeenCalledWith(DISCOVERY_PATH, expect.anything());
  });

  it('shows the issuer and every endpoint of the admin tenant once loaded', async () => {
    stubFetch(async () => json(discoveryDocument));
    render(<App />);

    expect((await screen.findByTestId('issuer')).textContent).toBe(issuer);
    expect(screen.queryByRole('status')).toBeNull();

    const text = screen.getByLabelText('Endpoints').textContent ?? '';
    for (const name of [
      'authorization_endpoint',
      'token_endpoint',
      'userinfo_endpoint',
      'jwks_uri',
      'revocation_endpoint',
      'introspection_endpoint',
    ]) {
      expect(text).toContain(name);
      expect(text).toContain(discoveryDocument[name as keyof typeof discoveryDocument] as string);
    }
    // Metadata that is not an endpoint stays out of the list.
    expect(text).not.toContain('response_types_supported');
  });

  it('shows an error when the server answers with a failure status, and recovers on retry', async () => {
    const fetchMock = stubFetch(
      async () => json({ error: 'unavailable' }, 503),
      async () => json(discoveryDocument),
    );
    render(<App />);

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load the discovery document');
    expect(alert.textContent).toContain('503');

    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect((await screen.findByTestId('issuer')).textContent).toBe(issuer);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('shows an error when the request fails or the answer is not a discovery document', async () => {
    stubFetch(async () => {
      throw new TypeError('Failed to fetch');
    });
    render(<App />);
    expect((await screen.findByRole('alert')).textContent).toContain('Failed to fetch');
    cleanup();

    stubFetch(async () => json({ not: 'metadata' }));
    render(<App />);
    expect((await screen.findByRole('alert')).textContent).toContain('no issuer');
  });

  it('links to the admin API documentation and says when console sign-in arrives', () => {
    stubFetch(() => new Promise<Response>(() => {}));
    render(<App />);

    const link = screen.getByRole('link', { name: 'Admin API documentation' });
    expect(link.getAttribute('href')).toBe('/admin/api/docs');
    expect(screen.getByRole('region', { name: 'Admin console' }).textContent).toMatch(/authorization code flow/);
  });
});
