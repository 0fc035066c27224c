import { Browser, parseForm, pkcePair } from './support/browser.js';
import { AdminApi, basic, discover, postForm, type HttpResult, type Metadata } from './support/oauth-client.js';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

const REDIRECT = 'https://orders.example/callback';
const PASSWORD = 'a long enough password';

interface Page<T> {
  items: T[];
  next: string | null;
}

interface ConsentView {
  id: string;
  userId: string;
  clientId: string;
  clientName: string;
  scopes: string[];
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
}

interface AccountConsentView {
  id: string;
  clientId: string;
  clientName: string;
  scopes: { name: string; description: string }[];
  createdAt: string;
  lastUsedAt: string | null;
}

interface GrantView {
  id: string;
  clientId: string;
  userId: string | null;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
}

interface Tokens {
  access_token: string;
  refresh_token?: string;
  scope?: string;
}

function expectProblem(res: HttpResult<unknown>, status: number): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}

/** Bulk "revoked before" markers have whole-second precision: tokens wanted live come a second later. */
const nextSecond = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1100));

describe('consents: listing and withdrawing them in the admin and account APIs (CONTRACT.md)', () => {
  let server: TesseraProcess;
  let admin: AdminApi;
  let tenant: { slug: string; issuer: string };
  let meta: Metadata;
  let app: { clientId: string; clientSecret: string };
  let ada: string;
  let bob: string;
  const browsers = new Map<string, Browser>();

  beforeAll(async () => {
    server = await startTessera();
    admin = new AdminApi(server);
    tenant = await admin.createTenant('consent');
    meta = await discover(tenant.issuer);
    expect((await admin.request('POST', `/tenants/${tenant.slug}/scopes`, { name: 'orders:read', description: 'Read your orders' })).status).toBe(201);
    const users = await Promise.all(
      ['ada', 'bob'].map((username) => admin.request<{ id: string }>('POST', `/tenants/${tenant.slug}/users`, { username, password: PASSWORD })),
    );
    expect(users.map((u) => u.status)).toEqual([201, 201]);
    [ada, bob] = users.map((u) => u.body.id) as [string, string];
    app = await admin.createClient(tenant.slug, {
      name: 'Orders web',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [REDIRECT],
      scopes: ['openid', 'offline_access', 'orders:read'],
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  function browserOf(username: string): Browser {
    if (!browsers.has(username)) browsers.set(username, new Browser());
    return browsers.get(username)!;
  }

  /** Follows same-origin redirects, stopping at the client's redirect URI (which may be same-origin). */
  async function walk(browser: Browser, url: string, redirectUri: string, form?: Record<string, string>): Promise<{ res: Response; url: string }> {
    let res = await browser.request(url, form ? { form } : {});
    let current = url;
    for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) {
      const location = new URL(res.headers.get('location')!, current).toString();
      if (location.startsWith(redirectUri) || !location.startsWith(server.baseUrl)) break;
      current = location;
      res = await browser.request(current);
    }
    return { res, url: current };
  }

  /** Drives login and consent pages to the redirect and redeems the code. */
  async function codeFlow(
    username: string,
    client: { clientId: string; clientSecret?: string; redirectUri: string; scope: string },
    expect_: { login?: boolean; consent: boolean },
  ): Promise<Tokens> {
    const browser = browserOf(username);
    const { verifier, challenge } = pkcePair();
    const url = new URL(meta['authorization_endpoint'] as string);
    const params = {
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      scope: client.scope,
      state: 'st',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    let { res, url: at } = await walk(browser, url.toString(), client.redirectUri);
    let html = res.status === 200 ? await res.text() : '';
    const loginShown = html.includes('name="password"');
    if (expect_.login !== undefined) expect(loginShown).toBe(expect_.login);
    if (loginShown) {
      const form = parseForm(html, at);
      ({ res, url: at } = await walk(browser, form.action, client.redirectUri, { ...form.fields, username, password: PASSWORD }));
      html = res.status === 200 ? await res.text() : '';
    }
    const consentShown = html.includes('name="decision"');
    expect(consentShown).toBe(expect_.consent);
    if (consentShown) {
      const form = parseForm(html, at);
      ({ res } = await walk(browser, form.action, client.redirectUri, { ...form.fields, decision: 'allow' }));
    }
    expect([302, 303]).toContain(res.status);
    const redirect = new URL(res.headers.get('location')!);
    expect(redirect.toString().startsWith(client.redirectUri)).toBe(true);
    const code = redirect.searchParams.get('code');
    expect(code).toEqual(expect.any(String));
    const tokenParams: Record<string, string> = { grant_type: 'authorization_code', code: code!, redirect_uri: client.redirectUri, code_verifier: verifier };
    const headers: Record<string, string> = {};
    if (client.clientSecret === undefined) tokenParams['client_id'] = client.clientId;
    else headers['authorization'] = basic(client.clientId, client.clientSecret);
    const token = await postForm<Tokens>(meta.token_endpoint, tokenParams, headers);
    expect(token.status).toBe(200);
    return token.body;
  }

  const appFlow = (username: string, consent: boolean, login?: boolean): Promise<Tokens> =>
    codeFlow(username, { ...app, redirectUri: REDIRECT, scope: 'openid offline_access orders:read' }, { consent, login });

  const accountFlow = (username: string): Promise<Tokens> =>
    codeFlow(
      username,
      { clientId: 'account', redirectUri: `${server.baseUrl}/account/${tenant.slug}/callback`, scope: 'openid account' },
      { consent: false },
    );

  async function introspect(token: string): Promise<boolean> {
    const res = await postForm<{ active: boolean }>(meta.introspection_endpoint, { token }, { authorization: basic(app.clientId, app.clientSecret) });
    expect(res.status).toBe(200);
    return res.body.active;
  }

  function refresh(refreshToken: string): Promise<HttpResult<{ error?: string; refresh_token?: string }>> {
    return postForm(meta.token_endpoint, { grant_type: 'refresh_token', refresh_token: refreshToken }, { authorization: basic(app.clientId, app.clientSecret) });
  }

  async function accountApi<T>(method: string, path: string, token: string | null): Promise<HttpResult<T>> {
    const res = await fetch(`${tenant.issuer}/account/v1${path}`, { method, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text === '' ? null : JSON.parse(text)) as T };
  }

  const consentsOf = (query: string) => admin.request<Page<ConsentView>>('GET', `/tenants/${tenant.slug}/consents?${query}`);
  const grantsOf = (query: string) => admin.request<Page<GrantView>>('GET', `/tenants/${tenant.slug}/tokens?${query}`);

  let adaTokens: Tokens;
  let bobTokens: Tokens;
  let adaAccountToken: string;

  it('records a consent given in the code flow; the admin API lists it by user and by client, and the live grant', async () => {
    adaTokens = await appFlow('ada', true, true);
    expect(adaTokens.refresh_token).toEqual(expect.any(String));
    expect(await introspect(adaTokens.access_token)).toBe(true);

    const byUser = await consentsOf(`userId=${ada}`);
    expect(byUser.status).toBe(200);
    expect(byUser.body.items).toHaveLength(1);
    const consent = byUser.body.items[0]!;
    expect(consent).toMatchObject({ userId: ada, clientId: app.clientId, clientName: 'Orders web' });
    expect([...consent.scopes].sort()).toEqual(['offline_access', 'openid', 'orders:read']);
    expect(Date.parse(consent.createdAt)).not.toBeNaN();
    expect(byUser.body.next).toBeNull();

    const byClient = await consentsOf(`clientId=${encodeURIComponent(app.clientId)}`);
    expect(byClient.status).toBe(200);
    expect(byClient.body.items.map((c) => c.id)).toEqual([consent.id]);
    expect((await consentsOf(`userId=${bob}`)).body.items).toEqual([]);

    expectProblem(await consentsOf('clientId=no-such-client'), 404);
    const malformed = await consentsOf('userId=not-a-uuid');
    expectProblem(malformed, 400);
    expect((malformed.body as unknown as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('userId');

    const grants = await grantsOf(`userId=${ada}`);
    expect(grants.status).toBe(200);
    expect(grants.body.items).toHaveLength(1);
    expect(grants.body.items[0]).toMatchObject({ clientId: app.clientId, userId: ada });
    expect([...grants.body.items[0]!.scopes].sort()).toEqual(['offline_access', 'openid', 'orders:read']);
    expect(Date.parse(grants.body.items[0]!.expiresAt)).toBeGreaterThan(Date.now());
    expect((await grantsOf(`clientId=${encodeURIComponent(app.clientId)}`)).body.items.map((g) => g.id)).toEqual([grants.body.items[0]!.id]);
    expectProblem(await grantsOf('clientId=no-such-client'), 404);
    expectProblem(await grantsOf('userId=nope'), 400);
  });

  it('withdrawing through the admin API revokes the access and refresh tokens and asks for consent again', async () => {
    const [consent] = (await consentsOf(`userId=${ada}`)).body.items;
    const res = await admin.request('DELETE', `/tenants/${tenant.slug}/consents/${consent!.id}`);
    expect(res.status).toBe(204);
    expectProblem(await admin.request('DELETE', `/tenants/${tenant.slug}/consents/${consent!.id}`), 404);
    expectProblem(await admin.request('DELETE', `/tenants/${tenant.slug}/consents/not-a-uuid`), 404);

    expect(await introspect(adaTokens.access_token)).toBe(false);
    const refreshed = await refresh(adaTokens.refresh_token!);
    expect(refreshed.status).toBe(400);
    expect(refreshed.body.error).toBe('invalid_grant');
    expect((await consentsOf(`userId=${ada}`)).body.items).toEqual([]);
    expect((await grantsOf(`userId=${ada}`)).body.items).toEqual([]);

    await nextSecond();
    // Still signed in, but the consent is gone: the page asks again.
    adaTokens = await appFlow('ada', true, false);
    expect(await introspect(adaTokens.access_token)).toBe(true);
    expect((await consentsOf(`userId=${ada}`)).body.items).toHaveLength(1);
  });

  it('lets the user list and withdraw their consents through the account API with a token of the account client', async () => {
    const account = await accountFlow('ada');
    expect(account.scope?.split(' ').sort()).toEqual(['account', 'openid']);
    adaAccountToken = account.access_token;

    const list = await accountApi<Page<AccountConsentView>>('GET', '/consents', adaAccountToken);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const mine = list.body.items[0]!;
    expect(mine).toMatchObject({ clientId: app.clientId, clientName: 'Orders web', lastUsedAt: null });
    expect(Date.parse(mine.createdAt)).not.toBeNaN();
    expect(mine.scopes).toEqual(
      expect.arrayContaining([
        { name: 'orders:read', description: 'Read your orders' },
        { name: 'openid', description: 'Sign you in' },
      ]),
    );

    // Bob allows the same application; his consent is not Ada's to see or withdraw.
    bobTokens = await appFlow('bob', true, true);
    const [bobConsent] = (await consentsOf(`userId=${bob}`)).body.items;
    expect(bobConsent).toBeDefined();
    expect(list.body.items.map((c) => c.id)).not.toContain(bobConsent!.id);
    expectProblem(await accountApi('DELETE', `/consents/${bobConsent!.id}`, adaAccountToken), 404);
    expectProblem(await accountApi('DELETE', '/consents/not-a-uuid', adaAccountToken), 404);
    expect((await consentsOf(`userId=${bob}`)).body.items).toHaveLength(1);

    const withdrawn = await accountApi('DELETE', `/consents/${mine.id}`, adaAccountToken);
    expect(withdrawn.status).toBe(204);
    expect(await introspect(adaTokens.access_token)).toBe(false);
    const refreshed = await refresh(adaTokens.refresh_token!);
    expect(refreshed.body.error).toBe('invalid_grant');
    expect((await accountApi<Page<AccountConsentView>>('GET', '/consents', adaAccountToken)).body.items).toEqual([]);
    // Only that application's tokens: the account token and Bob's tokens live on.
    expect(await introspect(bobTokens.access_token)).toBe(true);
    expect((await grantsOf(`userId=${bob}`)).body.items).toHaveLength(1);
  });

  it('answers account API errors in problem+json with a Bearer challenge', async () => {
    const none = await accountApi('GET', '/consents', null);
    expectProblem(none, 401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer\b/);

    const garbage = await accountApi('GET', '/consents', 'garbage');
    expectProblem(garbage, 401);
    expect(garbage.headers.get('www-authenticate')).toMatch(/^Bearer\b.*error="invalid_token"/);

    // A live token of the tenant, but without scope `account`.
    const noScope = await accountApi('GET', '/consents', bobTokens.access_token);
    expectProblem(noScope, 403);
    expect(noScope.headers.get('www-authenticate')).toMatch(/^Bearer\b.*error="insufficient_scope"/);
    expectProblem(await accountApi('DELETE', '/consents/00000000-0000-4000-8000-000000000000', bobTokens.access_token), 403);

    // Ada's account token is a token of this tenant only.
    const other = await admin.createTenant('consent-other');
    const elsewhere = await fetch(`${other.issuer}/account/v1/consents`, { headers: { authorization: `Bearer ${adaAccountToken}` } });
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('revokes every refresh token of a user, and one grant by id, through POST tokens/revoke', async () => {
    expect((await admin.request('POST', `/tenants/${tenant.slug}/tokens/revoke`, { userId: bob })).status).toBe(200);
    expect((await refresh(bobTokens.refresh_token!)).body.error).toBe('invalid_grant');
    expect(await introspect(bobTokens.access_token)).toBe(false);
    expect((await grantsOf(`userId=${bob}`)).body.items).toEqual([]);

    await nextSecond();
    adaTokens = await appFlow('ada', true, false);
    const [grant] = (await grantsOf(`userId=${ada}`)).body.items;
    expect(grant).toBeDefined();
    expect((await admin.request('POST', `/tenants/${tenant.slug}/tokens/revoke`, { grantId: grant!.id })).status).toBe(200);
    expect(await introspect(adaTokens.access_token)).toBe(false);
    expect((await refresh(adaTokens.refresh_token!)).body.error).toBe('invalid_grant');
    expect((await grantsOf(`userId=${ada}`)).body.items).toEqual([]);
    // The consent itself stays: revoking tokens is not withdrawing consent.
    expect((await consentsOf(`userId=${ada}`)).body.items).toHaveLength(1);
    expectProblem(await admin.request('POST', `/tenants/${tenant.slug}/tokens/revoke`, { grantId: 'nope' }), 400);
  });

  it('records consents given and withdrawn, sign-ins and failed sign-ins in the audit log', async () => {
    // A wrong password on the login page.
    const browser = new Browser();
    const url = new URL(meta['authorization_endpoint'] as string);
    const { challenge } = pkcePair();
    for (const [k, v] of Object.entries({ response_type: 'code', client_id: app.clientId, redirect_uri: REDIRECT, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' })) {
      url.searchParams.set(k, v);
    }
    const { res, url: at } = await walk(browser, url.toString(), REDIRECT);
    const form = parseForm(await res.text(), at);
    const failed = await browser.request(form.action, { form: { ...form.fields, username: 'ada', password: 'not the password' } });
    expect(failed.status).toBeLessThan(500);

    const events = await admin.request<Page<{ action: string; actor: { type: string; id: string | null }; details: Record<string, unknown> }>>(
      'GET',
      `/tenants/${tenant.slug}/audit-events?limit=200`,
    );
    expect(events.status).toBe(200);
    const actions = events.body.items.map((e) => e.action);
    for (const action of ['consent.given', 'consent.withdrawn', 'user.signed_in', 'user.sign_in_failed']) expect(actions).toContain(action);
    const withdrawals = events.body.items.filter((e) => e.action === 'consent.withdrawn');
    expect(withdrawals).toHaveLength(2);
    expect(withdrawals.map((e) => e.actor.type).sort()).toEqual(['client', 'user']);
    expect(withdrawals.find((e) => e.actor.type === 'user')?.actor.id).toBe(ada);
    expect(withdrawals.every((e) => e.details['userId'] === ada)).toBe(true);
  });
});
