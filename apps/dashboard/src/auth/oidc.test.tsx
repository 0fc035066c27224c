import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { authorizationUrl, handleCallback, s256, type OidcConfig } from './oidc';

const config: OidcConfig = { tenant: 'admin', clientId: 'dashboard', redirectPath: '/callback', postLogoutPath: '/', scope: 'openid platform:admin' };
const issuer = `${window.location.origin}/t/admin`;
const metadata = { issuer, authorization_endpoint: `${issuer}/oauth2/authorize`, token_endpoint: `${issuer}/oauth2/token` };

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('authorization code flow with PKCE', () => {
  let fetchMock: ReturnType<typeof vi.fn<typeof fetch>>;
  beforeEach(() => {
    sessionStorage.clear();
    fetchMock = vi.fn<typeof fetch>(async (input) => (String(input).endsWith('openid-configuration') ? json(metadata) : json({ error: 'unexpected' }, 500)));
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => sessionStorage.clear());

  it('S256 is the base64url SHA-256 of the verifier (RFC 7636 section 4.2)', async () => {
    const verifier = 'M25iVXpKU3puUjFaYWg3T1NDTDQtcW1ROUY5YXlwalNoc0hhakxifmZHag';
    // Expected value computed with node:crypto createHash('sha256').digest('base64url').
    expect(await s256(verifier)).toBe('qjrzSW9gMiUgpUvqgEPE4_-8swvyCtfOVvg55o5S_es');
  });

  it('builds a silent authorization request and keeps only the verifier, state and nonce in sessionStorage', async () => {
    const url = new URL(await authorizationUrl(config, { returnTo: '/tenants/acme', silent: true }));
    expect(url.origin + url.pathname).toBe(metadata.authorization_endpoint);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'dashboard',
      redirect_uri: `${window.location.origin}/callback`,
      scope: 'openid platform:admin',
      code_challenge_method: 'S256',
      prompt: 'none',
    });
    const stored = JSON.parse(sessionStorage.getItem('tessera.pkce.admin.dashboard')!);
    expect(Object.keys(stored).sort()).toEqual(['nonce', 'returnTo', 'silent', 'state', 'verifier']);
    expect(url.searchParams.get('code_challenge')).toBe(await s256(stored.verifier));
  });

  it('turns login_required of a silent request into a fall back to the login page', async () => {
    const url = new URL(await authorizationUrl(config, { returnTo: '/tenants', silent: true }));
    const result = await handleCallback(config, `?error=login_required&state=${url.searchParams.get('state')}&iss=${encodeURIComponent(issuer)}`);
    expect(result).toEqual({ kind: 'interaction_required', returnTo: '/tenants' });
  });

  it('refuses an answer whose state does not match', async () => {
    await authorizationUrl(config, { returnTo: '/', silent: false });
    const result = await handleCallback(config, '?code=abc&state=forged');
    expect(result.kind).toBe('error');
    expect(fetchMock).not.toHaveBeenCalledWith(metadata.token_endpoint, expect.anything());
  });

  it('redeems the code with the verifier', async () => {
    const url = new URL(await authorizationUrl(config, { returnTo: '/tenants', silent: false }));
    const stored = JSON.parse(sessionStorage.getItem('tessera.pkce.admin.dashboard')!);
    fetchMock.mockImplementation(async (input, init) => {
      if (String(input).endsWith('openid-configuration')) return json(metadata);
      const body = new URLSearchParams(String(init!.body));
      expect(Object.fromEntries(body)).toMatchObject({ grant_type: 'authorization_code', code: 'abc', code_verifier: stored.verifier, client_id: 'dashboard' });
      return json({ access_token: 'at', refresh_token: 'rt', expires_in: 900, scope: 'openid platform:admin' });
    });
    const result = await handleCallback(config, `?code=abc&state=${url.searchParams.get('state')}`);
    expect(result).toMatchObject({ kind: 'tokens', returnTo: '/tenants', tokens: { accessToken: 'at', refreshToken: 'rt', scope: ['openid', 'platform:admin'] } });
    expect(sessionStorage.getItem('tessera.pkce.admin.dashboard')).toBeNull();
  });
});
