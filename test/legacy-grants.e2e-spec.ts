import { Browser } from './support/browser.js';
import { AdminApi, basic, discover, postForm, type HttpResult, type Metadata } from './support/oauth-client.js';
import { authorizeUrl, responseParams, signIn } from './support/sign-in.js';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

const REDIRECT = 'https://spa.example/callback';
const PASSWORD = 'a long enough password';

/**
 * The legacy grants: resource owner password credentials (RFC 6749 4.3) and implicit (RFC 6749 4.2).
 * RFC 9700 says MUST NOT / SHOULD NOT; CONTRACT.md keeps both off unless the tenant setting and the
 * client's grantTypes both allow them.
 */
describe('legacy grants: password and implicit, off by default', () => {
  let server: TesseraProcess;
  let admin: AdminApi;

  beforeAll(async () => {
    server = await startTessera();
    admin = new AdminApi(server);
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function tenantWithUser(prefix: string): Promise<{ slug: string; issuer: string; meta: Metadata }> {
    const tenant = await admin.createTenant(prefix);
    const user = await admin.request('POST', `/tenants/${tenant.slug}/users`, { username: 'ada', email: 'ada@example.com', password: PASSWORD });
    expect(user.status).toBe(201);
    return { ...tenant, meta: await discover(tenant.issuer) };
  }

  async function setTenant(slug: string, settings: Record<string, boolean>): Promise<void> {
    const res = await admin.request('PATCH', `/tenants/${slug}`, { settings });
    expect(res.status).toBe(200);
  }

  async function introspect(meta: Metadata, slug: string, token: string): Promise<Record<string, unknown>> {
    const rs = await admin.createClient(slug, { name: 'API', grantTypes: ['client_credentials'] });
    const res = await postForm(meta.introspection_endpoint, { token }, { authorization: basic(rs.clientId, rs.clientSecret) });
    expect(res.status).toBe(200);
    return res.body;
  }

  describe('password grant (RFC 6749 4.3)', () => {
    let tenant: { slug: string; issuer: string; meta: Metadata };
    let legacy: { clientId: string; clientSecret: string };
    let modern: { clientId: string; clientSecret: string };

    beforeAll(async () => {
      tenant = await tenantWithUser('pwd');
      legacy = await admin.createClient(tenant.slug, {
        name: 'Legacy app',
        grantTypes: ['password', 'refresh_token'],
        scopes: ['openid', 'profile', 'offline_access'],
      });
      modern = await admin.createClient(tenant.slug, {
        name: 'Modern app',
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [REDIRECT],
        scopes: ['openid', 'profile', 'offline_access'],
      });
    });

    function passwordGrant(client: { clientId: string; clientSecret: string }, params: Record<string, string>): Promise<HttpResult> {
      return postForm(tenant.meta.token_endpoint, { grant_type: 'password', ...params }, { authorization: basic(client.clientId, client.clientSecret) });
    }

    it("is refused with unauthorized_client by default, even for a client with 'password' in its grantTypes", async () => {
      const res = await passwordGrant(legacy, { username: 'ada', password: PASSWORD });
      expect(res.status).toBe(400);
      expect(res.body['error']).toBe('unauthorized_client');
      expect(res.body).not.toHaveProperty('access_token');
    });

    it('works once the tenant enables it, and answers invalid_grant for a wrong password', async () => {
      await setTenant(tenant.slug, { passwordGrantEnabled: true });
      const ok = await passwordGrant(legacy, { username: 'ada', password: PASSWORD, scope: 'openid profile' });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ token_type: 'Bearer', scope: 'openid profile' });
      expect(ok.body).not.toHaveProperty('refresh_token');
      expect(await introspect(tenant.meta, tenant.slug, ok.body['access_token'] as string)).toMatchObject({ active: true, client_id: legacy.clientId });

      const wrong = await passwordGrant(legacy, { username: 'ada', password: 'not the password' });
      expect(wrong.status).toBe(400);
      expect(wrong.body['error']).toBe('invalid_grant');
      const unknown = await passwordGrant(legacy, { username: 'nobody', password: PASSWORD });
      expect(unknown.body['error']).toBe('invalid_grant');
    });

    it('issues a refresh token with offline_access and the refresh_token grant, and it refreshes', async () => {
      await setTenant(tenant.slug, { passwordGrantEnabled: true });
      const res = await passwordGrant(legacy, { username: 'ada', password: PASSWORD, scope: 'openid offline_access' });
      expect(res.status).toBe(200);
      const refreshToken = res.body['refresh_token'] as string;
      expect(refreshToken).toEqual(expect.any(String));
      const refreshed = await postForm(
        tenant.meta.token_endpoint,
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        { authorization: basic(legacy.clientId, legacy.clientSecret) },
      );
      expect(refreshed.status).toBe(200);
      expect(refreshed.body['refresh_token']).not.toBe(refreshToken);
    });

    it("still refuses a client without 'password' in its grantTypes when the tenant enables it", async () => {
      await setTenant(tenant.slug, { passwordGrantEnabled: true });
      const res = await passwordGrant(modern, { username: 'ada', password: PASSWORD });
      expect(res.status).toBe(400);
      expect(res.body['error']).toBe('unauthorized_client');
    });

    it('is refused again once the tenant turns it off', async () => {
      await setTenant(tenant.slug, { passwordGrantEnabled: false });
      const res = await passwordGrant(legacy, { username: 'ada', password: PASSWORD });
      expect(res.body['error']).toBe('unauthorized_client');
    });
  });

  describe('implicit flow (RFC 6749 4.2)', () => {
    let tenant: { slug: string; issuer: string; meta: Metadata };
    let spa: { clientId: string };

    beforeAll(async () => {
      tenant = await tenantWithUser('implicit');
      spa = await admin.createClient(tenant.slug, {
        name: 'Old SPA',
        type: 'public',
        grantTypes: ['implicit', 'authorization_code', 'refresh_token'],
        redirectUris: [REDIRECT],
        scopes: ['openid', 'profile', 'offline_access'],
      });
    });

    function implicitRequest(extra: Record<string, string> = {}): string {
      return authorizeUrl(tenant.meta, {
        response_type: 'token',
        client_id: spa.clientId,
        redirect_uri: REDIRECT,
        scope: 'profile offline_access',
        state: 'imp-state',
        ...extra,
      });
    }

    it('is refused by default with unauthorized_client, in the fragment, with state and iss', async () => {
      const res = await fetch(implicitRequest(), { redirect: 'manual' });
      expect([302, 303]).toContain(res.status);
      const location = new URL(res.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect(location.search).toBe('');
      const fragment = responseParams(location, 'fragment');
      expect(fragment.get('error')).toBe('unauthorized_client');
      expect(fragment.get('state')).toBe('imp-state');
      expect(fragment.get('iss')).toBe(tenant.issuer);
      expect(fragment.get('access_token')).toBeNull();
    });

    it('returns access_token, token_type, expires_in, state and iss in the fragment once enabled, never a refresh token', async () => {
      await setTenant(tenant.slug, { implicitGrantEnabled: true });
      const { location } = await signIn(new Browser(), server.baseUrl, implicitRequest(), { username: 'ada', password: PASSWORD });
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect(location.search).toBe('');
      const fragment = responseParams(location, 'fragment');
      expect(fragment.get('access_token')).toEqual(expect.any(String));
      expect(fragment.get('token_type')).toBe('Bearer');
      expect(Number(fragment.get('expires_in'))).toBeGreaterThan(0);
      expect(fragment.get('state')).toBe('imp-state');
      expect(fragment.get('iss')).toBe(tenant.issuer);
      expect(fragment.get('refresh_token')).toBeNull();
      expect(fragment.get('code')).toBeNull();

      const introspection = await introspect(tenant.meta, tenant.slug, fragment.get('access_token')!);
      expect(introspection).toMatchObject({ active: true, client_id: spa.clientId, iss: tenant.issuer });
    });

    it('requires a nonce when the implicit request asks for openid (OIDC Core 3.2.2.1)', async () => {
      await setTenant(tenant.slug, { implicitGrantEnabled: true });
      const res = await fetch(implicitRequest({ scope: 'openid profile' }), { redirect: 'manual' });
      const fragment = responseParams(new URL(res.headers.get('location')!), 'fragment');
      expect(fragment.get('error')).toBe('invalid_request');
      expect(fragment.get('state')).toBe('imp-state');
    });

    it("is refused for a client without 'implicit' in its grantTypes when the tenant enables it", async () => {
      await setTenant(tenant.slug, { implicitGrantEnabled: true });
      const modern = await admin.createClient(tenant.slug, {
        name: 'Modern SPA',
        type: 'public',
        grantTypes: ['authorization_code'],
        redirectUris: [REDIRECT],
        scopes: ['profile'],
      });
      const res = await fetch(
        authorizeUrl(tenant.meta, { response_type: 'token', client_id: modern.clientId, redirect_uri: REDIRECT, scope: 'profile', state: 'x' }),
        { redirect: 'manual' },
      );
      const fragment = responseParams(new URL(res.headers.get('location')!), 'fragment');
      expect(fragment.get('error')).toBe('unauthorized_client');
    });
  });

  it('discovery advertises the password grant and the implicit flow exactly while the tenant enables them (RFC 8414 section 2)', async () => {
    const tenant = await tenantWithUser('disco');
    const rfc8414 = async () => (await fetch(`${server.baseUrl}/.well-known/oauth-authorization-server/t/${tenant.slug}`)).json();
    const off = await discover(tenant.issuer);
    expect(off['grant_types_supported']).toEqual(['authorization_code', 'refresh_token', 'client_credentials']);
    expect(off['response_types_supported']).toEqual(['code']);
    expect(off['response_modes_supported']).toEqual(['query']);
    expect(await rfc8414()).toEqual(off);

    await setTenant(tenant.slug, { passwordGrantEnabled: true });
    const password = await discover(tenant.issuer);
    expect(password['grant_types_supported']).toEqual(['authorization_code', 'refresh_token', 'client_credentials', 'password']);
    expect(password['response_types_supported']).toEqual(['code']);

    await setTenant(tenant.slug, { passwordGrantEnabled: false, implicitGrantEnabled: true });
    const implicit = await discover(tenant.issuer);
    expect(implicit['grant_types_supported']).toEqual(['authorization_code', 'refresh_token', 'client_credentials', 'implicit']);
    expect(implicit['response_types_supported']).toEqual(['code', 'token']);
    expect(implicit['response_modes_supported']).toEqual(['query', 'fragment']);
    expect(await rfc8414()).toEqual(implicit);

    await setTenant(tenant.slug, { implicitGrantEnabled: false });
    expect(await discover(tenant.issuer)).toEqual(off);
  });
});
