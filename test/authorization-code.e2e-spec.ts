import { createRemoteJWKSet, jwtVerify } from 'jose';
import { Browser, parseForm, pkcePair } from './support/browser.js';
import { AdminApi, basic, discover, postForm, type Metadata } from './support/oauth-client.js';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

const REDIRECT = 'https://app.example/callback';

describe('authorization code flow with PKCE, login and consent pages (RFC 6749 4.1, RFC 7636, OIDC Core)', () => {
  let server: TesseraProcess;
  let admin: AdminApi;
  let tenant: { slug: string; issuer: string };
  let meta: Metadata;
  let confidential: { clientId: string; clientSecret: string };
  let publicClient: { clientId: string };
  const password = 'a long enough password';

  beforeAll(async () => {
    server = await startTessera();
    admin = new AdminApi(server);
    tenant = await admin.createTenant('code');
    meta = await discover(tenant.issuer);
    await admin.request('POST', `/tenants/${tenant.slug}/scopes`, { name: 'orders:read', description: 'Read your orders' });
    await admin.createAda(tenant.slug, password);
    confidential = await admin.createClient(tenant.slug, {
      name: 'Orders web',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [REDIRECT],
      scopes: ['openid', 'profile', 'email', 'offline_access', 'orders:read'],
    });
    publicClient = await admin.createClient(tenant.slug, {
      name: 'Orders mobile',
      type: 'public',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['com.example.orders:/callback'],
      scopes: ['openid', 'offline_access', 'orders:read'],
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  function authorizeUrl(params: Record<string, string>): string {
    const url = new URL(meta['authorization_endpoint'] as string);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.toString();
  }

  /** Drives the pages to the client's redirect; returns the redirect URL. */
  async function signIn(
    browser: Browser,
    params: Record<string, string>,
    options: { decision?: 'allow' | 'deny'; expectLogin?: boolean; expectConsent?: boolean } = {},
  ): Promise<URL> {
    let { res, url } = await browser.follow(authorizeUrl(params), server.baseUrl);
    if (res.status === 200 && (await peek(res)).includes('name="password"')) {
      expect(options.expectLogin ?? true).toBe(true);
      const html = await res.clone().text();
      const form = parseForm(html, url);
      ({ res, url } = await browser.follow(form.action, server.baseUrl, { form: { ...form.fields, username: 'ada', password } }));
    } else {
      expect(options.expectLogin ?? false).toBe(false);
    }
    if (res.status === 200) {
      const html = await res.text();
      expect(html).toContain('name="decision"');
      expect(options.expectConsent ?? true).toBe(true);
      const form = parseForm(html, url);
      ({ res } = await browser.follow(form.action, server.baseUrl, { form: { ...form.fields, decision: options.decision ?? 'allow' } }));
    } else {
      expect(options.expectConsent ?? false).toBe(false);
    }
    expect([302, 303]).toContain(res.status);
    return new URL(res.headers.get('location')!);
  }

  it('signs a user in, asks consent, and exchanges the code for tokens (confidential client)', async () => {
    const browser = new Browser();
    const { verifier, challenge } = pkcePair();
    const redirect = await signIn(
      browser,
      {
        response_type: 'code',
        client_id: confidential.clientId,
        redirect_uri: REDIRECT,
        scope: 'openid profile email offline_access orders:read',
        state: 'xyz-state',
        nonce: 'n-0S6_WzA2Mj',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
      { expectLogin: true, expectConsent: true },
    );
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT);
    expect(redirect.searchParams.get('state')).toBe('xyz-state');
    expect(redirect.searchParams.get('iss')).toBe(tenant.issuer);
    const code = redirect.searchParams.get('code')!;

    const token = await postForm(
      meta.token_endpoint,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
      { authorization: basic(confidential.clientId, confidential.clientSecret) },
    );
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: 'Bearer' });
    expect(token.body['refresh_token']).toEqual(expect.any(String));
    const jwks = createRemoteJWKSet(new URL(meta.jwks_uri));
    const { payload } = await jwtVerify(token.body['id_token'] as string, jwks, { issuer: tenant.issuer, audience: confidential.clientId });
    expect(payload['nonce']).toBe('n-0S6_WzA2Mj');
    expect(payload['auth_time']).toEqual(expect.any(Number));
    expect(payload['at_hash']).toEqual(expect.any(String));

    const userinfo = await fetch(meta['userinfo_endpoint'] as string, { headers: { authorization: `Bearer ${token.body['access_token']}` } });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({ sub: payload.sub, email: 'ada@example.com', preferred_username: 'ada' });
  });

  it('lets a public client redeem its code with the PKCE verifier and no secret, and skips a remembered consent', async () => {
    const browser = new Browser();
    const first = pkcePair();
    const params = {
      response_type: 'code',
      client_id: publicClient.clientId,
      redirect_uri: 'com.example.orders:/callback',
      scope: 'openid orders:read',
      state: 's1',
      code_challenge: first.challenge,
      code_challenge_method: 'S256',
    };
    const redirect = await signIn(browser, params, { expectLogin: true, expectConsent: true });
    const token = await postForm(meta.token_endpoint, {
      grant_type: 'authorization_code',
      code: redirect.searchParams.get('code')!,
      redirect_uri: 'com.example.orders:/callback',
      code_verifier: first.verifier,
      client_id: publicClient.clientId,
    });
    expect(token.status).toBe(200);

    const second = pkcePair();
    const again = await signIn(browser, { ...params, code_challenge: second.challenge, state: 's2' }, { expectLogin: false, expectConsent: false });
    expect(again.searchParams.get('code')).toEqual(expect.any(String));
    expect(again.searchParams.get('state')).toBe('s2');
  });

  it('asks again with prompt=consent, and answers access_denied when the user denies', async () => {
    const browser = new Browser();
    const redirect = await signIn(
      browser,
      {
        response_type: 'code',
        client_id: confidential.clientId,
        redirect_uri: REDIRECT,
        scope: 'orders:read',
        state: 'deny-me',
        prompt: 'consent',
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
      },
      { expectLogin: true, expectConsent: true, decision: 'deny' },
    );
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    expect(redirect.searchParams.get('state')).toBe('deny-me');
    expect(redirect.searchParams.get('iss')).toBe(tenant.issuer);
  });
});

async function peek(res: Response): Promise<string> {
  return res.clone().text();
}
