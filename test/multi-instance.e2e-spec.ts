import { decodeProtectedHeader } from 'jose';
import { Browser, pkcePair } from './support/browser.js';
import { AdminApi, basic, clientCredentials, postForm } from './support/oauth-client.js';
import { startRedisCluster, startRedisSentinel, type RedisDeployment } from '@tessera/persistence/testing';
import { signIn } from './support/sign-in.js';
import { startTessera, TEST_REDIS_URL, type TesseraProcess } from './support/tessera-process.js';

/** The Redis deployments Tessera accepts (issue 6: "Redis Cluster or Sentinel URLs are accepted"). */
const deployments: Array<[string, () => Promise<RedisDeployment>]> = [
  ['one Redis server', async () => ({ url: TEST_REDIS_URL, stop: async () => undefined })],
  ['a Redis Cluster of three primaries', () => startRedisCluster(3)],
  ['a primary and replica behind Redis Sentinel', () => startRedisSentinel()],
];

/**
 * Two server processes on one PostgreSQL and one Redis behave as one (CONTRACT.md: revocation takes
 * effect on every server process at once). Both share PUBLIC_URL, as behind a load balancer; the test
 * talks to each directly. The Cluster and Sentinel deployments are the test's own, on free ports.
 */
describe.each(deployments)('several server processes on one PostgreSQL and %s', (_name, startRedis) => {
  let redis: RedisDeployment;
  let a: TesseraProcess;
  let b: TesseraProcess;
  let admin: AdminApi;
  let tenant: { slug: string; issuer: string };

  beforeAll(async () => {
    redis = await startRedis();
    a = await startTessera({ env: { REDIS_URL: redis.url } });
    b = await startTessera({ env: { PUBLIC_URL: a.baseUrl, REDIS_URL: redis.url } });
    admin = new AdminApi(a);
    tenant = await admin.createTenant('multi');
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  /** The same endpoint on process B. */
  const atB = (path: string) => `${b.baseUrl}/t/${tenant.slug}/oauth2/${path}`;

  it('sees a secret rotated at one process fail at the other at once (after both cached the client)', async () => {
    const client = await admin.createClient(tenant.slug);
    const creds = { id: client.clientId, secret: client.clientSecret };
    expect((await clientCredentials(tenant.issuer, creds)).status).toBe(200);
    const warm = await postForm(atB('token'), { grant_type: 'client_credentials' }, { authorization: basic(creds.id, creds.secret) });
    expect(warm.status).toBe(200);
    const rotated = await admin.request<{ clientSecret: string }>('POST', `/tenants/${tenant.slug}/clients/${client.clientId}/secret`);
    const old = await postForm(atB('token'), { grant_type: 'client_credentials' }, { authorization: basic(creds.id, creds.secret) });
    expect(old.status).toBe(401);
    const fresh = await postForm(atB('token'), { grant_type: 'client_credentials' }, { authorization: basic(creds.id, rotated.body.clientSecret) });
    expect(fresh.status).toBe(200);
  });

  it('reports a token revoked at one process inactive at the other at once', async () => {
    const client = await admin.createClient(tenant.slug);
    const auth = { authorization: basic(client.clientId, client.clientSecret) };
    const token = (await clientCredentials(tenant.issuer, { id: client.clientId, secret: client.clientSecret })).body.access_token;
    expect((await postForm(atB('introspect'), { token }, auth)).body['active']).toBe(true);
    expect((await postForm(`${tenant.issuer}/oauth2/revoke`, { token }, auth)).status).toBe(200);
    expect((await postForm(atB('introspect'), { token }, auth)).body).toEqual({ active: false });
  });

  it('signs with the new key at every process after a rotation at one, and still verifies the old key there', async () => {
    const client = await admin.createClient(tenant.slug);
    const auth = { authorization: basic(client.clientId, client.clientSecret) };
    const before = await postForm<{ access_token: string }>(atB('token'), { grant_type: 'client_credentials' }, auth);
    const rotated = await admin.request<{ kid: string }>('POST', `/tenants/${tenant.slug}/keys/rotate`);
    const after = await postForm<{ access_token: string }>(atB('token'), { grant_type: 'client_credentials' }, auth);
    expect(decodeProtectedHeader(after.body.access_token).kid).toBe(rotated.body.kid);
    // A token B signed with the new key verifies at A, and B's old-key token still verifies at A.
    for (const token of [before.body.access_token, after.body.access_token]) {
      expect((await postForm(`${tenant.issuer}/oauth2/introspect`, { token }, auth)).body['active']).toBe(true);
    }
  });

  it('redeems at one process a code issued by the other, once', async () => {
    const password = 'a long enough password';
    await admin.request('POST', `/tenants/${tenant.slug}/users`, { username: 'grace', password });
    const web = await admin.createClient(tenant.slug, {
      grantTypes: ['authorization_code'],
      redirectUris: ['https://app.example/cb'],
      scopes: ['openid'],
      firstParty: true,
    });
    const { verifier, challenge } = pkcePair();
    const url = new URL(`${tenant.issuer}/oauth2/authorize`);
    for (const [k, v] of Object.entries({
      response_type: 'code',
      client_id: web.clientId,
      redirect_uri: 'https://app.example/cb',
      scope: 'openid',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })) {
      url.searchParams.set(k, v);
    }
    const { location } = await signIn(new Browser(), a.baseUrl, url.toString(), { username: 'grace', password });
    const code = location.searchParams.get('code')!;
    const params = { grant_type: 'authorization_code', code, redirect_uri: 'https://app.example/cb', code_verifier: verifier };
    const auth = { authorization: basic(web.clientId, web.clientSecret) };
    expect((await postForm(atB('token'), params, auth)).status).toBe(200);
    const replay = await postForm(`${tenant.issuer}/oauth2/token`, params, auth);
    expect(replay.body['error']).toBe('invalid_grant');
  });

  it('sees a tenant setting changed at one process at the other at once', async () => {
    const client = await admin.createClient(tenant.slug, { grantTypes: ['password'], scopes: [] });
    await admin.request('POST', `/tenants/${tenant.slug}/users`, { username: 'linus', password: 'a long enough password' });
    const auth = { authorization: basic(client.clientId, client.clientSecret) };
    const form = { grant_type: 'password', username: 'linus', password: 'a long enough password' };
    expect((await postForm(atB('token'), form, auth)).body['error']).toBe('unauthorized_client');
    await admin.request('PATCH', `/tenants/${tenant.slug}`, { settings: { passwordGrantEnabled: true } });
    expect((await postForm(atB('token'), form, auth)).status).toBe(200);
  });
});
