import { startRedisServer, type RedisDeployment, type RedisServer } from '@tessera/persistence/testing';
import { AdminApi, basic, discover, postForm, type HttpResult, type Metadata } from './support/oauth-client.js';
import { authorizeUrl } from './support/sign-in.js';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

const REDIRECT = 'https://app.example/callback';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function timed<T>(call: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await call();
  return { result, ms: Date.now() - started };
}

/**
 * Issue 6, fail closed: while Redis is down no code is issued or redeemed, no revoked token is
 * reported active, and every endpoint answers 503 at once; when Redis is back, service returns by
 * itself. This Redis keeps nothing, so it comes back empty: Tessera notices (its sentinel key is
 * gone) and counts every token issued before the outage as revoked, so the revocation made before
 * the outage still holds (docs/adr/0006).
 */
describe('fail closed when Redis is down', () => {
  // A Redis of the test's own, keeping nothing on disk: killing it is a Redis outage, starting it
  // again on the same port is a Redis that came back empty.
  let redis: RedisServer & RedisDeployment;
  let server: TesseraProcess;
  let admin: AdminApi;
  let meta: Metadata;
  let slug: string;
  let app: { clientId: string; clientSecret: string };
  let api: { clientId: string; clientSecret: string };
  let revokedToken: string;
  let liveToken: string;

  const token = (client: { clientId: string; clientSecret: string }, params: Record<string, string>) =>
    postForm(meta.token_endpoint, params, { authorization: basic(client.clientId, client.clientSecret) });
  const introspect = (value: string) =>
    postForm(meta.introspection_endpoint, { token: value }, { authorization: basic(api.clientId, api.clientSecret) });

  beforeAll(async () => {
    redis = await startRedisServer();
    server = await startTessera({ env: { REDIS_URL: redis.url } });
    admin = new AdminApi(server);
    const tenant = await admin.createTenant('fail-closed');
    slug = tenant.slug;
    meta = await discover(tenant.issuer);
    app = await admin.createClient(slug, {
      name: 'App',
      grantTypes: ['authorization_code', 'client_credentials'],
      redirectUris: [REDIRECT],
      scopes: ['openid'],
    });
    api = await admin.createClient(slug, { name: 'Resource server', grantTypes: ['client_credentials'] });
    // One second between Tessera's first sight of this Redis and the tokens (iat has whole seconds).
    await sleep(1_100);
    revokedToken = (await token(app, { grant_type: 'client_credentials' })).body['access_token'] as string;
    liveToken = (await token(app, { grant_type: 'client_credentials' })).body['access_token'] as string;
    const revoked = await postForm(meta.revocation_endpoint, { token: revokedToken }, { authorization: basic(app.clientId, app.clientSecret) });
    expect(revoked.status).toBe(200);
  });

  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
  });

  it('reports the revoked token inactive and the other active while Redis is up', async () => {
    expect((await introspect(revokedToken)).body).toEqual({ active: false });
    expect((await introspect(liveToken)).body).toMatchObject({ active: true });
  });

  describe('while Redis is down', () => {
    beforeAll(async () => {
      await redis.kill();
    });

    function expectUnavailable(res: HttpResult, ms: number): void {
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(ms).toBeLessThan(3_000);
    }

    it('answers introspection 503 temporarily_unavailable at once, and never reports the revoked token active', async () => {
      for (const value of [revokedToken, liveToken]) {
        const { result, ms } = await timed(() => introspect(value));
        expectUnavailable(result, ms);
        expect(result.body).not.toHaveProperty('active');
      }
    });

    it('redeems no code: the token endpoint answers 503 temporarily_unavailable at once', async () => {
      const { result, ms } = await timed(() =>
        token(app, { grant_type: 'authorization_code', code: 'any-code', redirect_uri: REDIRECT, code_verifier: 'v'.repeat(43) }),
      );
      expectUnavailable(result, ms);
    });

    it('accepts no revocation it could not record: the revocation endpoint answers 503', async () => {
      const { result, ms } = await timed(() =>
        postForm(meta.revocation_endpoint, { token: liveToken }, { authorization: basic(app.clientId, app.clientSecret) }),
      );
      expectUnavailable(result, ms);
    });

    it('issues no code: the authorization endpoint redirects with error=temporarily_unavailable, state and iss', async () => {
      const url = authorizeUrl(meta, {
        response_type: 'code',
        client_id: app.clientId,
        redirect_uri: REDIRECT,
        scope: 'openid',
        state: 'st-1',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      });
      const started = Date.now();
      const res = await fetch(url, { redirect: 'manual' });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(res.status).toBe(303);
      const location = new URL(res.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect(location.searchParams.get('error')).toBe('temporarily_unavailable');
      expect(location.searchParams.get('state')).toBe('st-1');
      expect(location.searchParams.get('iss')).toBe(meta.issuer);
      expect(location.searchParams.get('code')).toBeNull();
    });

    it('answers the sign-in page with an HTML 503 and the admin API with problem+json 503', async () => {
      const page = await fetch(`${meta.issuer}/interaction/${'a'.repeat(32)}/login`);
      expect(page.status).toBe(503);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await page.text()).toContain('temporarily unavailable');

      const list = await admin.request('GET', `/tenants/${slug}/clients`);
      expect(list.status).toBe(503);
      expect(list.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(list.body).toMatchObject({ status: 503 });
      expect(Number(list.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('says 503 at /readyz and 200 at /healthz', async () => {
      const ready = await timed(() => fetch(`${server.baseUrl}/readyz`));
      expect(ready.result.status).toBe(503);
      expect(await ready.result.json()).toMatchObject({ checks: { store: 'down' } });
      expect(ready.ms).toBeLessThan(3_000);
      expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    });
  });

  describe('when Redis is back (empty: this Redis keeps nothing)', () => {
    beforeAll(async () => {
      await redis.start();
    });

    it('serves again within seconds without a restart of Tessera, and the revoked token stays inactive', async () => {
      const deadline = Date.now() + 10_000;
      let ready = 0;
      while (Date.now() < deadline) {
        ready = (await fetch(`${server.baseUrl}/readyz`)).status;
        if (ready === 200) break;
        await sleep(100);
      }
      expect(ready).toBe(200);
      expect(server.child.exitCode).toBeNull();

      // The revocation went with Redis's data; Tessera noticed the data loss and counts every token
      // issued before the outage as revoked: the revoked token is still never active.
      const revoked = await introspect(revokedToken);
      expect(revoked.status).toBe(200);
      expect(revoked.body).toEqual({ active: false });
      // The price of failing closed: tokens from before the outage must be obtained again.
      expect((await introspect(liveToken)).body).toEqual({ active: false });

      // `iat` has whole seconds, and the whole second in which the outage began counts as "before"
      // (fail closed): a token issued in a later second is live.
      await sleep(1_100);
      const fresh = await token(app, { grant_type: 'client_credentials' });
      expect(fresh.status).toBe(200);
      expect((await introspect(fresh.body['access_token'] as string)).body).toMatchObject({ active: true });

      const url = authorizeUrl(meta, {
        response_type: 'code',
        client_id: app.clientId,
        redirect_uri: REDIRECT,
        scope: 'openid',
        state: 'st-2',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      });
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toContain('/interaction/');

      // The admin API takes fresh tokens again (the old one was issued before the outage).
      expect((await new AdminApi(server).request('GET', `/tenants/${slug}/clients`)).status).toBe(200);
    });
  });
});
