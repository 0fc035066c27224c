import { Browser, parseForm } from './support/browser.js';
import { AdminApi, basic, discover, postForm, type Metadata } from './support/oauth-client.js';
import { authorizeUrl } from './support/sign-in.js';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

const REDIRECT = 'https://app.example/callback';
const PASSWORD = 'a long enough password';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Issue 6: rate limits shared through Redis, configurable per tenant (settings.rateLimits), and the
 * brute-force protection of sign-in (settings.loginProtection). Each test sets a tenant's limits
 * low, with short windows, and shows the 429s, their Retry-After and their end.
 */
describe('rate limits and sign-in protection', () => {
  let server: TesseraProcess;
  let admin: AdminApi;

  beforeAll(async () => {
    server = await startTessera();
    admin = new AdminApi(server);
  });

  afterAll(async () => {
    // Never leave the platform-wide admin API limit behind for other suites.
    await admin?.request('PATCH', '/tenants/admin', { settings: { rateLimits: { adminApiPerToken: null } } }).catch(() => undefined);
    await server?.stop();
  });

  async function tenantWith(prefix: string, settings: Record<string, unknown>): Promise<{ slug: string; issuer: string; meta: Metadata }> {
    const tenant = await admin.createTenant(prefix);
    const patched = await admin.request('PATCH', `/tenants/${tenant.slug}`, { settings });
    expect(patched.status).toBe(200);
    const user = await admin.request('POST', `/tenants/${tenant.slug}/users`, { username: 'ada', password: PASSWORD });
    expect(user.status).toBe(201);
    return { ...tenant, meta: await discover(tenant.issuer) };
  }

  /** A fresh browser at the login page of an authorization request; returns a function that posts the form. */
  async function loginForm(tenant: { slug: string; meta: Metadata }, clientId: string) {
    const browser = new Browser();
    const start = authorizeUrl(tenant.meta, {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: 's',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    const { res, url } = await browser.follow(start, server.baseUrl);
    expect(res.status).toBe(200);
    const form = parseForm(await res.text(), url);
    return async (username: string, password: string) => {
      const started = Date.now();
      const answer = await browser.request(form.action, { form: { ...form.fields, username, password } });
      return { res: answer, ms: Date.now() - started, html: await answer.text() };
    };
  }

  async function webClient(slug: string): Promise<string> {
    const client = await admin.createClient(slug, {
      name: 'Web',
      type: 'public',
      grantTypes: ['authorization_code'],
      redirectUris: [REDIRECT],
      scopes: ['openid'],
      firstParty: true,
    });
    return client.clientId;
  }

  it('answers 429 temporarily_unavailable with Retry-After once a client exceeds its token endpoint limit, per client, until the window ends', async () => {
    const tenant = await tenantWith('rl-token', { rateLimits: { tokenPerClient: { max: 3, windowSeconds: 2 } } });
    const busy = await admin.createClient(tenant.slug, { name: 'Busy', grantTypes: ['client_credentials'] });
    const calm = await admin.createClient(tenant.slug, { name: 'Calm', grantTypes: ['client_credentials'] });
    const token = (c: { clientId: string; clientSecret: string }) =>
      postForm(tenant.meta.token_endpoint, { grant_type: 'client_credentials' }, { authorization: basic(c.clientId, c.clientSecret) });

    for (let i = 0; i < 3; i++) expect((await token(busy)).status).toBe(200);
    const limited = await token(busy);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    expect(limited.headers.get('cache-control')).toBe('no-store');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    // Another client of the same tenant has its own allowance.
    expect((await token(calm)).status).toBe(200);
    // A client that failed authentication spends nobody's allowance: it is invalid_client.
    expect((await token({ clientId: busy.clientId, clientSecret: 'wrong' })).status).toBe(401);

    await sleep(retryAfter * 1000 + 200);
    expect((await token(busy)).status).toBe(200);
  });

  it('has no token endpoint limit by default, and shows the effective limits in the tenant settings', async () => {
    const tenant = await admin.createTenant('rl-default');
    const read = await admin.request<{ settings: Record<string, unknown> }>('GET', `/tenants/${tenant.slug}`);
    expect(read.body.settings['rateLimits']).toEqual({
      tokenPerClient: null,
      loginPerIp: { max: 300, windowSeconds: 60 },
      loginPerUsername: { max: 30, windowSeconds: 60 },
      adminApiPerToken: null,
    });
    expect(read.body.settings['loginProtection']).toMatchObject({ userLockAfterFailures: 10, lockSeconds: 900, maxUserLocksPerDay: 3 });
    const bad = await admin.request('PATCH', `/tenants/${tenant.slug}`, { settings: { rateLimits: { tokenPerClient: { max: 0, windowSeconds: 60 } } } });
    expect(bad.status).toBe(400);
  });

  it('answers the login form with a 429 page and Retry-After past the per-username limit, and past the per-IP limit', async () => {
    const byUser = await tenantWith('rl-login-user', { rateLimits: { loginPerUsername: { max: 2, windowSeconds: 30 } } });
    const post = await loginForm(byUser, await webClient(byUser.slug));
    expect((await post('ada', 'wrong 1')).res.status).toBe(401);
    expect((await post('ADA', 'wrong 2')).res.status).toBe(401);
    const limited = await post('ada', PASSWORD);
    expect(limited.res.status).toBe(429);
    expect(limited.res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(Number(limited.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.html).toContain('too many sign-in attempts');
    // Another username is not limited by ada's count.
    expect((await post('bob', 'whatever')).res.status).toBe(401);

    const byIp = await tenantWith('rl-login-ip', { rateLimits: { loginPerIp: { max: 2, windowSeconds: 30 } } });
    const postIp = await loginForm(byIp, await webClient(byIp.slug));
    expect((await postIp('someone', 'x')).res.status).toBe(401);
    expect((await postIp('someone-else', 'x')).res.status).toBe(401);
    const ipLimited = await postIp('ada', PASSWORD);
    expect(ipLimited.res.status).toBe(429);
    expect(Number(ipLimited.res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('delays failures progressively, locks the username (audited user.locked) without checking the password, and lets it go when the lock expires', async () => {
    const tenant = await tenantWith('rl-lock', {
      loginProtection: { delayAfterFailures: 1, maxDelayMs: 1_000, userLockAfterFailures: 3, ipLockAfterFailures: 1_000, failureWindowSeconds: 60, lockSeconds: 3 },
    });
    const clientId = await webClient(tenant.slug);
    const post = await loginForm(tenant, clientId);
    const first = await post('ada', 'wrong 1');
    expect(first.res.status).toBe(401);
    const second = await post('ada', 'wrong 2');
    expect(second.res.status).toBe(401);
    expect(second.ms).toBeGreaterThanOrEqual(240); // 250 ms after one failure over the threshold
    const third = await post('ada', 'wrong 3');
    expect(third.ms).toBeGreaterThanOrEqual(490); // then 500 ms
    expect(third.res.status).toBe(429);
    expect(third.html).toContain('too many failed sign-ins');
    expect(Number(third.res.headers.get('retry-after'))).toBe(3);

    // Locked: even the right password is refused, from a fresh browser too.
    const locked = await (await loginForm(tenant, clientId))('ada', PASSWORD);
    expect(locked.res.status).toBe(429);
    expect(locked.html).not.toContain('name="decision"');

    const events = await admin.request<{ items: { action: string; target: { id: string | null }; details: Record<string, unknown> }[] }>(
      'GET',
      `/tenants/${tenant.slug}/audit-events?action=user.locked`,
    );
    expect(events.status).toBe(200);
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0]!.details).toMatchObject({ username: 'ada', failures: 3, lockedForSeconds: 3, via: 'login_form' });
    expect(events.body.items[0]!.target.id).toEqual(expect.any(String));

    await sleep(3_200);
    const after = await (await loginForm(tenant, clientId))('ada', PASSWORD);
    expect(after.res.status).toBe(303);
    expect(new URL(after.res.headers.get('location')!).searchParams.get('code')).toEqual(expect.any(String));
  });

  it('shares the lock with the password grant, which answers 429 temporarily_unavailable while it lasts', async () => {
    const tenant = await tenantWith('rl-pwd', {
      passwordGrantEnabled: true,
      loginProtection: { delayAfterFailures: 5, userLockAfterFailures: 2, lockSeconds: 60 },
    });
    const legacy = await admin.createClient(tenant.slug, { name: 'Legacy', grantTypes: ['password'], scopes: ['openid'] });
    const grant = (password: string) =>
      postForm(tenant.meta.token_endpoint, { grant_type: 'password', username: 'ada', password }, { authorization: basic(legacy.clientId, legacy.clientSecret) });
    expect((await grant('wrong')).body['error']).toBe('invalid_grant');
    const locking = await grant('wrong again');
    expect(locking.status).toBe(429);
    expect(locking.body['error']).toBe('temporarily_unavailable');
    const refused = await grant(PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50);
    const post = await loginForm(tenant, await webClient(tenant.slug));
    expect((await post('ada', PASSWORD)).res.status).toBe(429);
  });

  it('answers the admin API with problem+json 429 and Retry-After once a token exceeds tenant admin\'s per-token limit, per token', async () => {
    const busy = new AdminApi(server);
    const calm = new AdminApi(server);
    await busy.accessToken();
    await calm.accessToken();
    const set = await admin.request('PATCH', '/tenants/admin', { settings: { rateLimits: { adminApiPerToken: { max: 10, windowSeconds: 5 } } } });
    expect(set.status).toBe(200);
    try {
      const answers = [];
      for (let i = 0; i < 11; i++) answers.push(await busy.request('GET', '/tenants?limit=1'));
      expect(answers.slice(0, 10).map((a) => a.status)).toEqual(Array(10).fill(200));
      const limited = answers[10]!;
      expect(limited.status).toBe(429);
      expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(limited.body).toMatchObject({ status: 429, title: 'Too many requests' });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(5);
      expect((await calm.request('GET', '/tenants?limit=1')).status).toBe(200);
    } finally {
      const reset = await admin.request('PATCH', '/tenants/admin', { settings: { rateLimits: { adminApiPerToken: null } } });
      expect(reset.status).toBe(200);
    }
  });
});
