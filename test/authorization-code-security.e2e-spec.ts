import { Browser, parseForm, pkcePair } from './support/browser.js';
import { AdminApi, basic, discover, postForm, type HttpResult, type Metadata } from './support/oauth-client.js';
import { authorizeUrl, isLoginPage, signIn } from './support/sign-in.js';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

const REDIRECT = 'https://app.example/callback';
const LOGGED_OUT = 'https://app.example/logged-out';
const PASSWORD = 'a long enough password';
const ADA = { username: 'ada', password: PASSWORD };

interface Confidential {
  clientId: string;
  clientSecret: string;
}

/**
 * The authorization code flow under attack and misuse: RFC 6749 section 4.1 and 10, RFC 7636,
 * RFC 9700 (OAuth 2.0 Security BCP), RFC 9207, OIDC Core 3.1.2 (prompt, max_age) and RP-Initiated
 * Logout, and the login/consent pages of CONTRACT.md.
 */
describe('authorization code flow: security properties', () => {
  let server: TesseraProcess;
  let admin: AdminApi;
  let tenant: { slug: string; issuer: string };
  let meta: Metadata;
  let web: Confidential;
  let other: Confidential;
  let resourceServer: Confidential;

  beforeAll(async () => {
    server = await startTessera();
    admin = new AdminApi(server);
    tenant = await admin.createTenant('codesec');
    meta = await discover(tenant.issuer);
    await admin.request('POST', `/tenants/${tenant.slug}/scopes`, { name: 'orders:read', description: 'Read your orders' });
    await admin.createAda(tenant.slug, PASSWORD);
    web = await admin.createClient(tenant.slug, {
      name: 'Orders web',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [REDIRECT],
      postLogoutRedirectUris: [LOGGED_OUT],
      scopes: ['openid', 'profile', 'email', 'offline_access', 'orders:read'],
    });
    other = await admin.createClient(tenant.slug, {
      name: 'Other app',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [REDIRECT],
      scopes: ['openid', 'profile', 'offline_access'],
    });
    resourceServer = await admin.createClient(tenant.slug, { name: 'Orders API', grantTypes: ['client_credentials'] });
  });

  afterAll(async () => {
    await server?.stop();
  });

  function params(overrides: Record<string, string | undefined> = {}, client: { clientId: string } = web): Record<string, string> {
    const base: Record<string, string | undefined> = {
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: REDIRECT,
      scope: 'openid profile offline_access',
      state: 'st-123',
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
      ...overrides,
    };
    return Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)) as Record<string, string>;
  }

  /** A fresh code for `client`, through login (and consent where needed). */
  async function obtainCode(
    client: { clientId: string } = web,
    extra: Record<string, string> = {},
    browser = new Browser(),
  ): Promise<{ code: string; verifier: string; browser: Browser }> {
    const { verifier, challenge } = pkcePair();
    const { location } = await signIn(browser, server.baseUrl, authorizeUrl(meta, params({ code_challenge: challenge, ...extra }, client)), ADA);
    const code = location.searchParams.get('code');
    if (!code) throw new Error(`no code in ${location.toString()}`);
    return { code, verifier, browser };
  }

  function redeem(client: Confidential, code: string, verifier: string, redirectUri = REDIRECT): Promise<HttpResult> {
    return postForm(
      meta.token_endpoint,
      { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier },
      { authorization: basic(client.clientId, client.clientSecret) },
    );
  }

  async function introspect(token: string): Promise<Record<string, unknown>> {
    const res = await postForm(meta.introspection_endpoint, { token }, { authorization: basic(resourceServer.clientId, resourceServer.clientSecret) });
    expect(res.status).toBe(200);
    return res.body;
  }

  function expectInvalidGrant(res: HttpResult): void {
    expect(res.status).toBe(400);
    expect(res.body['error']).toBe('invalid_grant');
    expect(res.headers.get('cache-control')).toContain('no-store');
  }

  /** A redirect back to the client carrying an error, state and iss (RFC 6749 4.1.2.1, RFC 9207). */
  async function expectErrorRedirect(url: string, error: string, state = 'st-123', browser = new Browser()): Promise<URL> {
    const res = await browser.request(url);
    expect([302, 303]).toContain(res.status);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('error')).toBe(error);
    expect(location.searchParams.get('error_description')).toEqual(expect.any(String));
    expect(location.searchParams.get('state')).toBe(state);
    expect(location.searchParams.get('iss')).toBe(tenant.issuer);
    expect(location.searchParams.get('code')).toBeNull();
    return location;
  }

  /** An HTML error page, HTTP 400, and never a redirect (RFC 6749 4.1.2.1, RFC 9700 4.1). */
  async function expectErrorPage(url: string): Promise<string> {
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).not.toContain('name="password"');
    return html;
  }

  async function loginPageOf(browser: Browser, url: string): Promise<{ res: Response; html: string; url: string }> {
    const followed = await browser.follow(url, server.baseUrl);
    expect(followed.res.status).toBe(200);
    const html = await followed.res.text();
    expect(isLoginPage(html)).toBe(true);
    return { res: followed.res, html, url: followed.url };
  }

  describe('code redemption (token endpoint)', () => {
    it('refuses a replayed code with invalid_grant and revokes the access and refresh tokens the first redemption produced', async () => {
      const { code, verifier } = await obtainCode();
      const first = await redeem(web, code, verifier);
      expect(first.status).toBe(200);
      const accessToken = first.body['access_token'] as string;
      const refreshToken = first.body['refresh_token'] as string;
      expect(refreshToken).toEqual(expect.any(String));
      expect(await introspect(accessToken)).toMatchObject({ active: true });

      expectInvalidGrant(await redeem(web, code, verifier));

      expect(await introspect(accessToken)).toEqual({ active: false });
      const refreshed = await postForm(
        meta.token_endpoint,
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        { authorization: basic(web.clientId, web.clientSecret) },
      );
      expectInvalidGrant(refreshed);
    });

    it('refuses a wrong code_verifier with invalid_grant', async () => {
      const { code } = await obtainCode();
      expectInvalidGrant(await redeem(web, code, pkcePair().verifier));
    });

    it('refuses a missing code_verifier with invalid_grant', async () => {
      const { code } = await obtainCode();
      const res = await postForm(
        meta.token_endpoint,
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
        { authorization: basic(web.clientId, web.clientSecret) },
      );
      expectInvalidGrant(res);
    });

    it('refuses a code presented by another client than the one it was issued to (invalid_grant)', async () => {
      const { code, verifier } = await obtainCode(web);
      expectInvalidGrant(await redeem(other, code, verifier));
    });

    it('refuses a redirect_uri at the token endpoint that differs from the authorization request (invalid_grant)', async () => {
      const { code, verifier } = await obtainCode();
      expectInvalidGrant(await redeem(web, code, verifier, 'https://app.example/other'));
    });

    it('refuses a redirect_uri left out at the token endpoint when the authorization request had one (invalid_grant)', async () => {
      const { code, verifier } = await obtainCode();
      const res = await postForm(
        meta.token_endpoint,
        { grant_type: 'authorization_code', code, code_verifier: verifier },
        { authorization: basic(web.clientId, web.clientSecret) },
      );
      expectInvalidGrant(res);
    });

    // Codes live at most 60 s (CONTRACT.md); waiting that long is not worth it here, so this shows that
    // a code the server does not hold (unknown, made up, or expired and gone) is refused the same way.
    it('refuses an unknown or garbage code with invalid_grant', async () => {
      const { verifier } = pkcePair();
      expectInvalidGrant(await redeem(web, 'x'.repeat(43), verifier));
      expectInvalidGrant(await redeem(web, 'not a code at all', verifier));
      expectInvalidGrant(await redeem(web, 'a'.repeat(300), verifier));
    });
  });

  describe('authorization request errors', () => {
    it('redirects with invalid_request (state and iss) when code_challenge is missing', async () => {
      await expectErrorRedirect(authorizeUrl(meta, params({ code_challenge: undefined, code_challenge_method: undefined })), 'invalid_request');
    });

    it('redirects with invalid_request (state and iss) for code_challenge_method=plain', async () => {
      const { verifier } = pkcePair();
      await expectErrorRedirect(authorizeUrl(meta, params({ code_challenge: verifier, code_challenge_method: 'plain' })), 'invalid_request');
    });

    it('shows an HTML error page (400, no Location) for an unregistered redirect_uri', async () => {
      await expectErrorPage(authorizeUrl(meta, params({ redirect_uri: 'https://evil.example/callback' })));
    });

    it('shows an HTML error page (400, no Location) for a redirect_uri differing only by a trailing slash', async () => {
      await expectErrorPage(authorizeUrl(meta, params({ redirect_uri: `${REDIRECT}/` })));
    });

    it('shows an HTML error page (400, no Location) for a redirect_uri differing only by an added query', async () => {
      await expectErrorPage(authorizeUrl(meta, params({ redirect_uri: `${REDIRECT}?next=https://evil.example` })));
    });

    it('shows an HTML error page (400, no Location) for an unknown client_id', async () => {
      await expectErrorPage(authorizeUrl(meta, params({ client_id: 'no-such-client' })));
    });

    it('redirects with unsupported_response_type for a response_type it does not support', async () => {
      await expectErrorRedirect(authorizeUrl(meta, params({ response_type: 'id_token' })), 'unsupported_response_type');
      await expectErrorRedirect(authorizeUrl(meta, params({ response_type: 'code token' })), 'unsupported_response_type');
    });

    it('redirects with invalid_request (state and iss) for a repeated or malformed parameter once client and redirect URI are known', async () => {
      await expectErrorRedirect(`${authorizeUrl(meta, params())}&scope=profile`, 'invalid_request');
      await expectErrorRedirect(authorizeUrl(meta, params({ nonce: 'n'.repeat(5000) })), 'invalid_request');
      await expectErrorRedirect(authorizeUrl(meta, params({ prompt: 'login\u0000' })), 'invalid_request');
      // A repeated state cannot be echoed: the error goes back without it.
      const res = await fetch(`${authorizeUrl(meta, params())}&state=other`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      const location = new URL(res.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('state')).toBeNull();
      expect(location.searchParams.get('iss')).toBe(tenant.issuer);
      // While the client or its redirect URI is in doubt, nothing redirects.
      await expectErrorPage(`${authorizeUrl(meta, params())}&client_id=${other.clientId}`);
      await expectErrorPage(`${authorizeUrl(meta, params())}&redirect_uri=${encodeURIComponent(REDIRECT)}`);
      await expectErrorPage(`${authorizeUrl(meta, params({ redirect_uri: undefined, scope: 'openid' }))}&scope=profile`);
    });

    it('redirects with request_not_supported and request_uri_not_supported for request objects (OIDC Core 6.1, 6.2)', async () => {
      await expectErrorRedirect(authorizeUrl(meta, params({ request: 'eyJhbGciOiJub25lIn0.e30.' })), 'request_not_supported');
      await expectErrorRedirect(authorizeUrl(meta, params({ request_uri: 'urn:ietf:params:oauth:request_uri:x' })), 'request_uri_not_supported');
    });

    it('lets a loopback redirect URI differ in port only, also from a registered port (RFC 8252 section 7.3)', async () => {
      const native = await admin.createClient(tenant.slug, {
        name: 'Native app',
        type: 'public',
        grantTypes: ['authorization_code'],
        redirectUris: ['http://127.0.0.1:4711/cb', 'http://[::1]:4711/cb'],
        scopes: ['openid'],
      });
      const at = (redirectUri: string) => authorizeUrl(meta, params({ redirect_uri: redirectUri, scope: 'openid' }, native));
      for (const redirectUri of ['http://127.0.0.1:4711/cb', 'http://127.0.0.1:51234/cb', 'http://127.0.0.1/cb', 'http://[::1]:8080/cb']) {
        await loginPageOf(new Browser(), at(redirectUri));
      }
      for (const redirectUri of ['http://127.0.0.1:51234/cb/', 'http://127.0.0.1:51234/other', 'http://localhost:4711/cb', 'https://127.0.0.1:4711/cb']) {
        await expectErrorPage(at(redirectUri));
      }
    });

    it('redirects with invalid_scope for a scope the client may not have', async () => {
      await expectErrorRedirect(authorizeUrl(meta, params({ scope: 'openid orders:read' }, other)), 'invalid_scope');
      await expectErrorRedirect(authorizeUrl(meta, params({ scope: 'openid no-such-scope' })), 'invalid_scope');
    });
  });

  describe('prompt and max_age (OIDC Core 3.1.2.1)', () => {
    it('redirects with login_required for prompt=none without a session', async () => {
      await expectErrorRedirect(authorizeUrl(meta, params({ prompt: 'none' })), 'login_required');
    });

    it('redirects with consent_required for prompt=none with a session but without consent', async () => {
      const fresh = await admin.createClient(tenant.slug, {
        name: 'Fresh app',
        grantTypes: ['authorization_code'],
        redirectUris: [REDIRECT],
        scopes: ['openid', 'profile'],
      });
      const { browser } = await obtainCode(fresh, { scope: 'openid' });
      // Signed in now; this client was allowed `openid` only, and `other` nothing at all.
      await expectErrorRedirect(authorizeUrl(meta, params({ prompt: 'none', scope: 'openid profile' }, fresh)), 'consent_required', 'st-123', browser);
      await expectErrorRedirect(authorizeUrl(meta, params({ prompt: 'none', scope: 'openid' }, other)), 'consent_required', 'st-123', browser);
      // ...while what was allowed comes back silently.
      const silent = await browser.request(authorizeUrl(meta, params({ prompt: 'none', scope: 'openid' }, fresh)));
      expect(new URL(silent.headers.get('location')!).searchParams.get('code')).toEqual(expect.any(String));
    });

    it('shows the login page again for prompt=login despite a session', async () => {
      const { browser } = await obtainCode(web, { scope: 'openid' });
      await loginPageOf(browser, authorizeUrl(meta, params({ scope: 'openid', prompt: 'login' })));
      const result = await signIn(browser, server.baseUrl, authorizeUrl(meta, params({ scope: 'openid', prompt: 'login' })), ADA);
      expect(result.sawLogin).toBe(true);
      expect(result.location.searchParams.get('code')).toEqual(expect.any(String));
    });

    it('shows the login page again for max_age=0 despite a session', async () => {
      const { browser } = await obtainCode(web, { scope: 'openid' });
      // Without max_age the session is enough...
      const silent = await signIn(browser, server.baseUrl, authorizeUrl(meta, params({ scope: 'openid' })), ADA);
      expect(silent.sawLogin).toBe(false);
      // ...with max_age=0 it never is.
      await loginPageOf(browser, authorizeUrl(meta, params({ scope: 'openid', max_age: '0' })));
    });
  });

  describe('login page', () => {
    it('refuses a login form without its CSRF token, or with a wrong one, with 403 and starts no session', async () => {
      const browser = new Browser();
      const page = await loginPageOf(browser, authorizeUrl(meta, params()));
      const form = parseForm(page.html, page.url);
      expect(Object.keys(form.fields)).toContain('csrf');

      const { csrf: _csrf, ...withoutCsrf } = form.fields;
      const missing = await browser.request(form.action, { form: { ...withoutCsrf, ...ADA } });
      expect(missing.status).toBe(403);
      expect(missing.headers.get('location')).toBeNull();
      expect(browser.lastSetCookies.filter((c) => c.startsWith('tessera_session=') && !/max-age=0/i.test(c))).toEqual([]);

      const wrong = await browser.request(form.action, { form: { ...form.fields, csrf: 'A'.repeat(43), ...ADA } });
      expect(wrong.status).toBe(403);
      expect(browser.lastSetCookies.filter((c) => c.startsWith('tessera_session=') && !/max-age=0/i.test(c))).toEqual([]);

      // A token of another interaction (same browser) does not fit either.
      const second = await loginPageOf(browser, authorizeUrl(meta, params()));
      const otherCsrf = parseForm(second.html, second.url).fields['csrf']!;
      const crossed = await browser.request(form.action, { form: { ...form.fields, csrf: otherCsrf, ...ADA } });
      expect(crossed.status).toBe(403);

      expect(browser.cookieNames()).not.toContain('tessera_session');
      await expectErrorRedirect(authorizeUrl(meta, params({ prompt: 'none' })), 'login_required', 'st-123', browser);
    });

    it('re-renders the login form with 401 on a wrong password and records no session', async () => {
      const browser = new Browser();
      const page = await loginPageOf(browser, authorizeUrl(meta, params()));
      const form = parseForm(page.html, page.url);
      const res = await browser.request(form.action, { form: { ...form.fields, username: 'ada', password: 'wrong password!' } });
      expect(res.status).toBe(401);
      const html = await res.text();
      expect(isLoginPage(html)).toBe(true);
      expect(html).toContain('role="alert"');
      expect(html).not.toContain('wrong password!');
      expect(browser.lastSetCookies.filter((c) => c.startsWith('tessera_session='))).toEqual([]);
      expect(browser.cookieNames()).not.toContain('tessera_session');
      await expectErrorRedirect(authorizeUrl(meta, params({ prompt: 'none' })), 'login_required', 'st-123', browser);

      // The re-rendered form still works with the right password.
      const retry = parseForm(html, page.url);
      const { res: done } = await browser.follow(retry.action, server.baseUrl, { form: { ...retry.fields, ...ADA } });
      expect([200, 302, 303]).toContain(done.status); // the consent page, or the client when consent is remembered
      expect(browser.cookieNames()).toContain('tessera_session');
    });

    it('has exactly one <form method="post"> with inputs username and password, each visible input with a <label for>', async () => {
      const { html } = await loginPageOf(new Browser(), authorizeUrl(meta, params()));
      expect(html.match(/<form[^>]*method="post"/gi)).toHaveLength(1);
      expect(html.match(/<form\b/gi)).toHaveLength(1);
      const inputs = html.match(/<input[^>]*>/gi) ?? [];
      const names = inputs.map((i) => /name="([^"]*)"/.exec(i)?.[1]);
      expect(names).toContain('username');
      expect(names).toContain('password');
      expect(inputs.find((i) => /name="password"/.test(i))).toMatch(/type="password"/);
      for (const input of inputs.filter((i) => !/type="hidden"/i.test(i))) {
        const id = /id="([^"]*)"/.exec(input)?.[1];
        expect(id).toEqual(expect.any(String));
        expect(html).toContain(`<label for="${id}"`);
      }
    });

    it('serves pages with CSP frame-ancestors none, X-Frame-Options DENY and Cache-Control no-store', async () => {
      const browser = new Browser();
      const check = (res: Response) => {
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("frame-ancestors 'none'");
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('cache-control')).toContain('no-store');
      };
      const login = await loginPageOf(browser, authorizeUrl(meta, params({ prompt: 'consent' })));
      check(login.res);
      const form = parseForm(login.html, login.url);
      const { res: consent } = await browser.follow(form.action, server.baseUrl, { form: { ...form.fields, ...ADA } });
      expect(consent.status).toBe(200);
      check(consent);
      const error = await fetch(authorizeUrl(meta, params({ client_id: 'no-such-client' })), { redirect: 'manual' });
      check(error);
    });

    // Browsers (Chrome, CSP Level 3) apply form-action to the redirects that follow a form submission:
    // the login and consent forms post to the server, which answers with a redirect to the client.
    it("lets the login and consent pages' CSP form-action admit the redirect back to the client", async () => {
      const browser = new Browser();
      const login = await loginPageOf(browser, authorizeUrl(meta, params({ prompt: 'consent' })));
      expect(formActionAllows(login.res.headers.get('content-security-policy'), login.url, REDIRECT)).toBe(true);
      const form = parseForm(login.html, login.url);
      const { res: consent, url } = await browser.follow(form.action, server.baseUrl, { form: { ...form.fields, ...ADA } });
      expect(consent.status).toBe(200);
      expect(formActionAllows(consent.headers.get('content-security-policy'), url, REDIRECT)).toBe(true);
      // ...and only that client: no wildcard.
      expect(formActionAllows(consent.headers.get('content-security-policy'), url, 'https://evil.example/cb')).toBe(false);
    });

    it('sets a session cookie that is HttpOnly, SameSite=Lax, scoped to /t/<slug>/ and not Secure on http', async () => {
      const browser = new Browser();
      const page = await loginPageOf(browser, authorizeUrl(meta, params()));
      const form = parseForm(page.html, page.url);
      await browser.request(form.action, { form: { ...form.fields, ...ADA } });
      const cookie = browser.lastSetCookies.find((c) => c.startsWith('tessera_session='));
      expect(cookie).toBeDefined();
      const attributes = cookie!.split(';').slice(1).map((a) => a.trim().toLowerCase());
      expect(attributes).toContain('httponly');
      expect(attributes).toContain('samesite=lax');
      expect(attributes).toContain(`path=/t/${tenant.slug}/`);
      expect(attributes).not.toContain('secure');
      expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
    });
  });

  describe('consent page', () => {
    it('names the client and every requested scope', async () => {
      const browser = new Browser();
      const login = await loginPageOf(browser, authorizeUrl(meta, params({ scope: 'openid profile email offline_access orders:read' })));
      const form = parseForm(login.html, login.url);
      const { res } = await browser.follow(form.action, server.baseUrl, { form: { ...form.fields, ...ADA } });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('Orders web');
      for (const scope of ['openid', 'profile', 'email', 'offline_access', 'orders:read']) expect(html).toContain(scope);
      expect(html).toContain('Read your orders');
      expect(html.match(/<form[^>]*method="post"/gi)).toHaveLength(1);
      expect(html).toMatch(/<button[^>]*name="decision"[^>]*value="allow"/);
      expect(html).toMatch(/<button[^>]*name="decision"[^>]*value="deny"/);
    });
    it('refuses a consent answer without its CSRF token (403), and from another browser than the one that signed in', async () => {
      const browser = new Browser();
      const login = await loginPageOf(browser, authorizeUrl(meta, params({ prompt: 'consent' })));
      const loginForm = parseForm(login.html, login.url);
      const { res, url } = await browser.follow(loginForm.action, server.baseUrl, { form: { ...loginForm.fields, ...ADA } });
      expect(res.status).toBe(200);
      const consent = parseForm(await res.text(), url);

      const { csrf: _csrf, ...withoutCsrf } = consent.fields;
      const missing = await browser.request(consent.action, { form: { ...withoutCsrf, decision: 'allow' } });
      expect(missing.status).toBe(403);
      expect(missing.headers.get('location')).toBeNull();

      const stranger = new Browser();
      const shown = await stranger.request(url);
      expect(shown.status).toBe(403);
      const posted = await stranger.request(consent.action, { form: { ...consent.fields, decision: 'allow' } });
      expect(posted.status).toBe(403);
      expect(posted.headers.get('location')).toBeNull();

      // The rightful browser still can answer, once.
      const allowed = await browser.request(consent.action, { form: { ...consent.fields, decision: 'allow' } });
      expect([302, 303]).toContain(allowed.status);
      expect(new URL(allowed.headers.get('location')!).searchParams.get('code')).toEqual(expect.any(String));
      const again = await browser.request(consent.action, { form: { ...consent.fields, decision: 'allow' } });
      expect(again.headers.get('location') === null || new URL(again.headers.get('location')!).searchParams.get('code') === null).toBe(true);
    });
  });

  describe("a signed-in browser after an admin changes its user (sessions end like the user's tokens)", () => {
    const NEW_PASSWORD = 'a different long password';

    /** A new user of the tenant, signed in at `web` (consent given), in a browser that now gets codes silently. */
    async function signedInUser(username: string): Promise<{ id: string; credentials: { username: string; password: string }; browser: Browser }> {
      const created = await admin.request('POST', `/tenants/${tenant.slug}/users`, { username, password: PASSWORD });
      expect(created.status).toBe(201);
      const credentials = { username, password: PASSWORD };
      const browser = new Browser();
      const first = await signIn(browser, server.baseUrl, authorizeUrl(meta, params({ scope: 'openid' })), credentials);
      expect(first.location.searchParams.get('code')).toEqual(expect.any(String));
      return { id: created.body['id'] as string, credentials, browser };
    }

    /** A code by prompt=none, from the session alone. */
    async function silentCode(browser: Browser): Promise<{ code: string; verifier: string }> {
      const { verifier, challenge } = pkcePair();
      const res = await browser.request(authorizeUrl(meta, params({ scope: 'openid', prompt: 'none', code_challenge: challenge })));
      expect([302, 303]).toContain(res.status);
      const code = new URL(res.headers.get('location')!).searchParams.get('code');
      if (!code) throw new Error(`no silent code: ${res.headers.get('location')}`);
      return { code, verifier };
    }

    /** The session no longer counts: prompt=none is login_required, and without it the login page shows. */
    async function expectSignedOut(browser: Browser): Promise<void> {
      await expectErrorRedirect(authorizeUrl(meta, params({ scope: 'openid', prompt: 'none' })), 'login_required', 'st-123', browser);
      await loginPageOf(browser, authorizeUrl(meta, params({ scope: 'openid' })));
    }

    /** Tries `credentials` on the login page of a fresh request: the redirect with a code, or the refusal (401, the login page again). */
    async function tryLogin(browser: Browser, credentials: { username: string; password: string }): Promise<{ status: number; code: string | null }> {
      const page = await loginPageOf(browser, authorizeUrl(meta, params({ scope: 'openid' })));
      const form = parseForm(page.html, page.url);
      const res = await browser.request(form.action, { form: { ...form.fields, ...credentials } });
      if (res.status === 401) expect(isLoginPage(await res.text())).toBe(true);
      const location = res.headers.get('location');
      return { status: res.status, code: location ? new URL(location).searchParams.get('code') : null };
    }

    it('a new password ends the session: login_required, the login page, the old password refused and the new one accepted', async () => {
      const { id, credentials, browser } = await signedInUser('grace');
      const before = await silentCode(browser);
      const oldSession = sessionCookieOf(browser);

      const changed = await admin.request('PATCH', `/tenants/${tenant.slug}/users/${id}`, { password: NEW_PASSWORD });
      expect(changed.status).toBe(200);

      await expectSignedOut(browser);
      // The code the old session got just before is worth nothing now either.
      expectInvalidGrant(await redeem(web, before.code, before.verifier));
      expect(await tryLogin(browser, credentials)).toEqual({ status: 401, code: null });
      const signedIn = await tryLogin(browser, { ...credentials, password: NEW_PASSWORD });
      expect(signedIn.status).toBe(303);
      expect(signedIn.code).toEqual(expect.any(String));

      // The new session is good for silent requests again; the old one stays ended.
      const after = await silentCode(browser);
      expect((await redeem(web, after.code, after.verifier)).status).toBe(200);
      const replayed = await fetch(authorizeUrl(meta, params({ scope: 'openid', prompt: 'none' })), { redirect: 'manual', headers: { cookie: oldSession } });
      expect(new URL(replayed.headers.get('location')!).searchParams.get('error')).toBe('login_required');
    });

    it('disabling the user ends the session and its pending code, refuses the login, and enabling again does not revive the session', async () => {
      const { id, credentials, browser } = await signedInUser('linus');
      const before = await silentCode(browser);
      const oldSession = sessionCookieOf(browser);

      expect((await admin.request('PATCH', `/tenants/${tenant.slug}/users/${id}`, { disabled: true })).status).toBe(200);

      await expectSignedOut(browser);
      expectInvalidGrant(await redeem(web, before.code, before.verifier));
      expect(await tryLogin(browser, credentials)).toEqual({ status: 401, code: null });

      expect((await admin.request('PATCH', `/tenants/${tenant.slug}/users/${id}`, { disabled: false })).status).toBe(200);
      const replayed = await fetch(authorizeUrl(meta, params({ scope: 'openid', prompt: 'none' })), { redirect: 'manual', headers: { cookie: oldSession } });
      expect(new URL(replayed.headers.get('location')!).searchParams.get('error')).toBe('login_required');
      expect((await tryLogin(browser, credentials)).code).toEqual(expect.any(String));
    });

    it('deleting the user ends the session and its pending code, and the login is refused', async () => {
      const { id, credentials, browser } = await signedInUser('margaret');
      const before = await silentCode(browser);

      expect((await admin.request('DELETE', `/tenants/${tenant.slug}/users/${id}`)).status).toBe(204);

      await expectSignedOut(browser);
      expectInvalidGrant(await redeem(web, before.code, before.verifier));
      expect(await tryLogin(browser, credentials)).toEqual({ status: 401, code: null });
    });

    it('a consent page left open across a new password cannot be answered any more', async () => {
      const { id, browser } = await signedInUser('barbara');
      // A scope not yet allowed: the session leads straight to the consent page.
      const { res, url } = await browser.follow(authorizeUrl(meta, params({ scope: 'openid profile' })), server.baseUrl);
      expect(res.status).toBe(200);
      const consent = parseForm(await res.text(), url);
      expect(consent.buttons).toContainEqual({ name: 'decision', value: 'allow' });

      expect((await admin.request('PATCH', `/tenants/${tenant.slug}/users/${id}`, { password: NEW_PASSWORD })).status).toBe(200);

      const answered = await browser.request(consent.action, { form: { ...consent.fields, decision: 'allow' } });
      expect(answered.status).toBe(403);
      expect(answered.headers.get('location')).toBeNull();
      expect((await browser.request(url)).status).toBe(403);
    });
  });

  describe('sessions across tenants', () => {
    it('does not sign the user in at tenant B with a session of tenant A', async () => {
      const b = await admin.createTenant('codesec-b');
      const metaB = await discover(b.issuer);
      expect((await admin.request('POST', `/tenants/${b.slug}/users`, { username: 'ada', password: PASSWORD })).status).toBe(201);
      const clientB = await admin.createClient(b.slug, {
        name: 'B app',
        grantTypes: ['authorization_code'],
        redirectUris: [REDIRECT],
        scopes: ['openid'],
        firstParty: true,
      });
      const { browser } = await obtainCode(web, { scope: 'openid' });
      const requestB = authorizeUrl(metaB, params({ scope: 'openid', prompt: 'none' }, clientB));

      // The browser does not send the cookie outside /t/<A>/ ...
      const viaBrowser = await browser.request(requestB);
      expect(new URL(viaBrowser.headers.get('location')!).searchParams.get('error')).toBe('login_required');

      // ... and the server does not accept tenant A's session at tenant B when it is sent anyway.
      const session = sessionCookieOf(browser);
      const forced = await fetch(requestB, { redirect: 'manual', headers: { cookie: session } });
      expect([302, 303]).toContain(forced.status);
      const location = new URL(forced.headers.get('location')!);
      expect(location.searchParams.get('error')).toBe('login_required');
      expect(location.searchParams.get('iss')).toBe(b.issuer);
    });
  });

  describe('RP-initiated logout', () => {
    it('ends the session at end_session_endpoint and returns to a registered post_logout_redirect_uri with state', async () => {
      const endSession = meta['end_session_endpoint'] as string;
      expect(endSession).toEqual(expect.any(String));
      const { code, verifier, browser } = await obtainCode(web, { scope: 'openid' });
      const tokens = await redeem(web, code, verifier);
      const idToken = tokens.body['id_token'] as string;
      expect(idToken).toEqual(expect.any(String));

      const url = new URL(endSession);
      url.searchParams.set('id_token_hint', idToken);
      url.searchParams.set('post_logout_redirect_uri', LOGGED_OUT);
      url.searchParams.set('state', 'bye-1');
      const res = await browser.request(url.toString());
      expect([302, 303]).toContain(res.status);
      const location = new URL(res.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(LOGGED_OUT);
      expect(location.searchParams.get('state')).toBe('bye-1');

      expect(browser.cookieNames()).not.toContain('tessera_session');
      await loginPageOf(browser, authorizeUrl(meta, params({ scope: 'openid' })));
    });

    it('also ends the session on the server, not only by deleting the cookie', async () => {
      const { code, verifier, browser } = await obtainCode(web, { scope: 'openid' });
      const session = sessionCookieOf(browser);
      const idToken = (await redeem(web, code, verifier)).body['id_token'] as string;
      const url = new URL(meta['end_session_endpoint'] as string);
      url.searchParams.set('id_token_hint', idToken);
      await browser.request(url.toString());
      const replayed = await fetch(authorizeUrl(meta, params({ scope: 'openid', prompt: 'none' })), { redirect: 'manual', headers: { cookie: session } });
      expect(new URL(replayed.headers.get('location')!).searchParams.get('error')).toBe('login_required');
    });

    it('asks the user to confirm a logout that carries no id_token_hint, and signs out only after the confirmed form', async () => {
      const { browser } = await obtainCode(web, { scope: 'openid' });
      const session = sessionCookieOf(browser);
      const endSession = meta['end_session_endpoint'] as string;
      const prompt = await browser.request(endSession);
      expect(prompt.status).toBe(200);
      const html = await prompt.text();
      const form = parseForm(html, endSession);
      // A cross-site GET alone does not end the session.
      const stillIn = await fetch(authorizeUrl(meta, params({ scope: 'openid', prompt: 'none' })), { redirect: 'manual', headers: { cookie: session } });
      expect(new URL(stillIn.headers.get('location')!).searchParams.get('code')).toEqual(expect.any(String));
      // A forged post without the CSRF token does not either.
      const forged = await browser.request(form.action, { form: { confirm: 'yes' } });
      expect(forged.status).toBe(200);
      const done = await browser.request(form.action, { form: { ...form.fields, confirm: 'yes' } });
      expect(done.status).toBe(200);
      expect(await done.text()).toContain('signed out');
      const after = await fetch(authorizeUrl(meta, params({ scope: 'openid', prompt: 'none' })), { redirect: 'manual', headers: { cookie: session } });
      expect(new URL(after.headers.get('location')!).searchParams.get('error')).toBe('login_required');
    });

    it('shows a 400 page and does not redirect for an unregistered post_logout_redirect_uri', async () => {
      const { code, verifier, browser } = await obtainCode(web, { scope: 'openid' });
      const idToken = (await redeem(web, code, verifier)).body['id_token'] as string;
      for (const target of ['https://evil.example/logged-out', REDIRECT, `${LOGGED_OUT}/`]) {
        const url = new URL(meta['end_session_endpoint'] as string);
        url.searchParams.set('id_token_hint', idToken);
        url.searchParams.set('post_logout_redirect_uri', target);
        const res = await browser.request(url.toString());
        expect(res.status).toBe(400);
        expect(res.headers.get('location')).toBeNull();
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      }
    });
  });
});

/** The session cookie the browser holds, as a Cookie header. */
function sessionCookieOf(browser: Browser): string {
  const value = browser.cookie('tessera_session');
  if (!value) throw new Error('the browser holds no session');
  return `tessera_session=${value}`;
}

/** Whether a CSP's form-action directive (CSP Level 3 source lists, the common forms) admits `target`. */
function formActionAllows(csp: string | null, pageUrl: string, target: string): boolean {
  const directive = (csp ?? '')
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find(([name]) => name?.toLowerCase() === 'form-action');
  if (!directive) return true;
  const url = new URL(target);
  return directive.slice(1).some((source) => {
    if (source === '*') return !['data:', 'blob:', 'filesystem:'].includes(url.protocol);
    if (source === "'self'") return url.origin === new URL(pageUrl).origin;
    if (/^[a-z][a-z0-9+.-]*:$/i.test(source)) return url.protocol === source.toLowerCase();
    try {
      const allowed = new URL(source);
      return allowed.origin === url.origin && (allowed.pathname === '/' || url.pathname === allowed.pathname || (allowed.pathname.endsWith('/') && url.pathname.startsWith(allowed.pathname)));
    } catch {
      return false;
    }
  });
}
