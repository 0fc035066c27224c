import { Browser, parseForm, pkcePair } from './support/browser.js';
import { AdminApi, basic, discover, type Metadata } from './support/oauth-client.js';
import { authorizeUrl } from './support/sign-in.js';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

/**
 * Response headers and cookies (RFC 9700 section 4.16 and 4.11, RFC 6797, CSP Level 3, the Fetch
 * standard's CORS protocol): what every response carries, what HTML pages carry, how cookies are
 * flagged with and without https, and which origins may read which endpoints.
 */

const PASSWORD = 'a long enough password';
const SPA = 'https://spa.example';
const LOCAL_DEV = 'http://127.0.0.1:8123';

/** Parses a Content-Security-Policy header into directive → sources. */
function directives(policy: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (policy ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), sources);
  }
  return map;
}

/**
 * A strict policy: no inline or eval'd script, no plugins, no framing, no base rewriting, forms
 * bounded. `inlineStyles`: the dashboard's component library (Mantine) sets styles at run time, so
 * its index admits inline styles (never inline script); every server-rendered page admits only its
 * own nonce'd style block.
 */
function expectStrictCsp(res: Response, where: string, options: { inlineStyles?: boolean } = {}): void {
  const policy = res.headers.get('content-security-policy');
  expect({ where, policy: policy === null ? 'missing' : 'present' }).toEqual({ where, policy: 'present' });
  const d = directives(policy);
  expect(d.get('default-src')).toEqual(["'self'"]);
  expect(d.get('script-src')).toEqual(["'self'"]);
  const style = d.get('style-src') ?? [];
  expect(style).toContain("'self'");
  for (const source of style) {
    const ok = source === "'self'" || /^'nonce-[A-Za-z0-9+/=_-]{16,}'$/.test(source) || (options.inlineStyles === true && source === "'unsafe-inline'");
    expect(ok ? 'ok' : `${where}: style-src ${source}`).toBe('ok');
  }
  expect(d.get('object-src')).toEqual(["'none'"]);
  expect(d.get('base-uri')).toEqual(["'none'"]);
  expect(d.get('frame-ancestors')).toEqual(["'none'"]);
  expect(d.get('form-action')?.[0]).toBe("'self'");
  for (const [name, sources] of d) {
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:']) {
      if (name === 'img-src' || name === 'style-src') continue;
      expect({ where, name, has: sources.includes(bad) ? bad : null }).toEqual({ where, name, has: null });
    }
  }
  expect(res.headers.get('x-frame-options')).toBe('DENY');
}

function expectEverywhereHeaders(res: Response, where: string): void {
  expect({ where, nosniff: res.headers.get('x-content-type-options'), referrer: res.headers.get('referrer-policy') }).toEqual({
    where,
    nosniff: 'nosniff',
    referrer: 'no-referrer',
  });
}

/**
 * The attributes of the last Set-Cookie line of `name` (the one a browser keeps: a sign-in first
 * clears the old session cookie), lower-cased, plus its path.
 */
function cookieAttributes(lines: string[], name: string): { attrs: Set<string>; path: string | undefined } | null {
  const line = lines.filter((l) => l.startsWith(`${name}=`)).at(-1);
  if (!line) return null;
  const attrs = line.split(';').slice(1).map((a) => a.trim());
  return {
    attrs: new Set(attrs.map((a) => (a.toLowerCase().startsWith('path=') ? 'path' : a.toLowerCase()))),
    path: attrs.find((a) => a.toLowerCase().startsWith('path='))?.slice(5),
  };
}

interface Fixture {
  server: TesseraProcess;
  slug: string;
  clientId: string;
  /** The public URL as the server sees itself (https behind a proxy); requests go to baseUrl. */
  publicUrl: string;
}

/** Creates a tenant with a user and a third-party code client; returns its slug and client id. */
async function setUp(adminRequest: AdminApi['request']): Promise<{ slug: string; clientId: string }> {
  const slug = `hdr-${Math.random().toString(36).slice(2, 10)}`;
  expect((await adminRequest('POST', '/tenants', { slug, displayName: `Headers ${slug}` })).status).toBe(201);
  expect((await adminRequest('POST', `/tenants/${slug}/users`, { username: 'ada', password: PASSWORD })).status).toBe(201);
  const client = await adminRequest<{ clientId: string }>('POST', `/tenants/${slug}/clients`, {
    name: 'SPA',
    type: 'public',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [`${SPA}/callback`, `${LOCAL_DEV}/callback`, 'com.example.app:/callback'],
    scopes: ['openid', 'profile'],
  });
  expect(client.status).toBe(201);
  return { slug, clientId: client.body.clientId };
}

/**
 * Walks authorize → login page → sign-in → consent page, rewriting the server's (possibly https)
 * absolute URLs to the plain-http address the test speaks to. Returns every response on the way.
 */
async function walkToConsent(f: Fixture, browser: Browser): Promise<{ login: Response; loginHtml: string; afterLogin: Response; consent: Response }> {
  const local = (url: string) => url.replace(f.publicUrl, f.server.baseUrl);
  const pkce = pkcePair();
  const start = new URL(`${f.server.baseUrl}/t/${f.slug}/oauth2/authorize`);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: f.clientId,
    redirect_uri: `${SPA}/callback`,
    scope: 'openid profile',
    state: 's1',
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
  })) {
    start.searchParams.set(k, v);
  }
  const toLogin = await browser.request(start.toString());
  expect(toLogin.status).toBe(303);
  const loginUrl = local(toLogin.headers.get('location')!);
  const login = await browser.request(loginUrl);
  expect(login.status).toBe(200);
  const loginHtml = await login.text();
  const form = parseForm(loginHtml, loginUrl);
  const afterLogin = await browser.request(local(form.action), { form: { ...form.fields, username: 'ada', password: PASSWORD } });
  expect(afterLogin.status).toBe(303);
  const consent = await browser.request(local(afterLogin.headers.get('location')!));
  expect(consent.status).toBe(200);
  expect(await consent.clone().text()).toContain('name="decision"');
  return { login, loginHtml, afterLogin, consent };
}

describe('security headers and cookies behind https (PUBLIC_URL https, served over http by a TLS proxy)', () => {
  const f = {} as Fixture;

  beforeAll(async () => {
    f.server = await startTessera({ publicUrl: (port) => `https://127.0.0.1:${port}` });
    f.publicUrl = `https://127.0.0.1:${f.server.port}`;
    // Endpoint URLs from discovery are https; the test speaks plain http to the same port.
    const token = await fetch(`${f.server.baseUrl}/t/admin/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(f.server.bootstrapClient.id, f.server.bootstrapClient.secret) },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(200);
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const request: AdminApi['request'] = async (method, path, body) => {
      const res = await fetch(`${f.server.baseUrl}/admin/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as never };
    };
    Object.assign(f, await setUp(request));
  });

  afterAll(async () => {
    await f.server?.stop();
  });

  it('sends Strict-Transport-Security on every response when PUBLIC_URL is https', async () => {
    const urls = [
      '/healthz',
      `/t/${f.slug}/.well-known/openid-configuration`,
      `/t/${f.slug}/oauth2/jwks`,
      '/admin/api/v1/tenants',
      '/no/such/path',
      `/t/${f.slug}/oauth2/authorize?client_id=nope`,
      '/',
    ];
    for (const path of urls) {
      const res = await fetch(`${f.server.baseUrl}${path}`, { redirect: 'manual' });
      const hsts = res.headers.get('strict-transport-security') ?? '';
      expect({ path, hsts: /max-age=(\d+)/.exec(hsts)?.[1] !== undefined && Number(/max-age=(\d+)/.exec(hsts)![1]) >= 31536000 }).toEqual({ path, hsts: true });
      expectEverywhereHeaders(res, path);
    }
    const metadata = (await (await fetch(`${f.server.baseUrl}/t/${f.slug}/.well-known/openid-configuration`)).json()) as Metadata;
    expect(metadata.issuer).toBe(`${f.publicUrl}/t/${f.slug}`);
  });

  it('flags the session and CSRF cookies Secure, HttpOnly and SameSite, scoped to the tenant path', async () => {
    const browser = new Browser();
    const { login, afterLogin } = await walkToConsent(f, browser);
    const csrf = cookieAttributes(login.headers.getSetCookie(), 'tessera_csrf');
    expect(csrf).not.toBeNull();
    expect([...csrf!.attrs].sort()).toEqual(['httponly', 'path', 'samesite=strict', 'secure']);
    expect(csrf!.path).toBe(`/t/${f.slug}/`);
    const session = cookieAttributes(afterLogin.headers.getSetCookie(), 'tessera_session');
    expect(session).not.toBeNull();
    expect([...session!.attrs].sort()).toEqual(['httponly', 'path', 'samesite=lax', 'secure']);
    expect(session!.path).toBe(`/t/${f.slug}/`);
    // A browser session cookie: no Expires/Max-Age, so it dies with the browser; the server bounds its life.
    expect(afterLogin.headers.getSetCookie().filter((l) => l.startsWith('tessera_session=')).at(-1)).not.toMatch(/expires|max-age/i);
  });
});

describe('security headers, cookies and CORS over plain http', () => {
  const f = {} as Fixture;
  let admin: AdminApi;
  let meta: Metadata;

  beforeAll(async () => {
    f.server = await startTessera();
    f.publicUrl = f.server.baseUrl;
    admin = new AdminApi(f.server);
    Object.assign(f, await setUp(admin.request.bind(admin)));
    meta = await discover(f.server.issuer(f.slug));
  });

  afterAll(async () => {
    await f.server?.stop();
  });

  it('sends no Strict-Transport-Security when PUBLIC_URL is plain http', async () => {
    for (const path of ['/healthz', `/t/${f.slug}/.well-known/openid-configuration`, `/t/${f.slug}/oauth2/authorize?client_id=nope`]) {
      const res = await fetch(`${f.server.baseUrl}${path}`);
      expect({ path, hsts: res.headers.get('strict-transport-security') }).toEqual({ path, hsts: null });
    }
  });

  it('flags cookies HttpOnly and SameSite but not Secure over plain http', async () => {
    const browser = new Browser();
    const { login, afterLogin } = await walkToConsent(f, browser);
    expect([...cookieAttributes(login.headers.getSetCookie(), 'tessera_csrf')!.attrs].sort()).toEqual(['httponly', 'path', 'samesite=strict']);
    expect([...cookieAttributes(afterLogin.headers.getSetCookie(), 'tessera_session')!.attrs].sort()).toEqual(['httponly', 'path', 'samesite=lax']);
  });

  it('answers the login and consent form posts with 303 See Other, never 307 (RFC 9700 section 4.12)', async () => {
    const browser = new Browser();
    const { afterLogin, consent } = await walkToConsent(f, browser);
    expect(afterLogin.status).toBe(303);
    const form = parseForm(await consent.text(), `${f.server.baseUrl}/`);
    // Denied, so that no consent is remembered for the tests that follow.
    const decided = await browser.request(form.action.replace(f.publicUrl, f.server.baseUrl), { form: { ...form.fields, decision: 'deny' } });
    expect(decided.status).toBe(303);
    expect(decided.headers.get('location')).toMatch(new RegExp(`^${SPA}/callback\\?error=access_denied`));
  });

  it('puts a strict Content-Security-Policy on every HTML page: login, consent, errors, logout, dashboard', async () => {
    const browser = new Browser();
    const { login, loginHtml, consent } = await walkToConsent(f, browser);
    const pages: [string, Response][] = [['login page', login], ['consent page', consent]];
    // The login page's only style block carries the nonce its CSP names; it has no inline script.
    const nonce = /'nonce-([^']+)'/.exec(login.headers.get('content-security-policy') ?? '')?.[1];
    expect(nonce).toBeDefined();
    expect(loginHtml).toContain(`nonce="${nonce}"`);
    expect(loginHtml).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    // The consent form ends in a redirect to the client: form-action admits exactly that origin.
    expect(directives(consent.headers.get('content-security-policy')).get('form-action')).toEqual(["'self'", SPA]);

    const get = async (name: string, path: string, status: number) => {
      const res = await fetch(`${f.server.baseUrl}${path}`, { redirect: 'manual' });
      expect({ name, status: res.status, type: res.headers.get('content-type') }).toEqual({ name, status, type: expect.stringMatching(/^text\/html/) });
      pages.push([name, res]);
    };
    await get('error page: unknown client', `/t/${f.slug}/oauth2/authorize?client_id=nope&response_type=code`, 400);
    await get('error page: unregistered redirect_uri', `/t/${f.slug}/oauth2/authorize?client_id=${f.clientId}&redirect_uri=https://evil.example/cb`, 400);
    await get('error page: unknown tenant', '/t/no-such-tenant-x/oauth2/authorize?client_id=x', 404);
    await get('error page: expired interaction', `/t/${f.slug}/interaction/not-a-real-id/login`, 404);
    await get('logout confirmation', `/t/${f.slug}/oauth2/logout`, 200);
    await get('dashboard index', '/', 200);
    await get('dashboard route', '/tenants', 200);
    for (const [name, res] of pages) {
      expectStrictCsp(res, name, { inlineStyles: name.startsWith('dashboard') });
      expectEverywhereHeaders(res, name);
      expect({ name, cache: res.headers.get('cache-control') }).toEqual({ name, cache: expect.stringMatching(/no-store|no-cache/) });
      // The policy is workable: no page relies on an inline script it would block.
      expect({ name, inlineScript: /<script(?![^>]*\bsrc=)[^>]*>/i.test(res.bodyUsed ? loginHtml : await res.text()) }).toEqual({ name, inlineScript: false });
    }
  });

  it('sends X-Content-Type-Options and Referrer-Policy on JSON, errors, redirects, preflights and assets', async () => {
    const token = await admin.accessToken();
    const requests: [string, string, RequestInit][] = [
      ['healthz', '/healthz', {}],
      ['readyz', '/readyz', {}],
      ['discovery', `/t/${f.slug}/.well-known/openid-configuration`, {}],
      ['RFC 8414 metadata', `/.well-known/oauth-authorization-server/t/${f.slug}`, {}],
      ['jwks', `/t/${f.slug}/oauth2/jwks`, {}],
      ['token error', `/t/${f.slug}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=nope' }],
      ['introspection error', `/t/${f.slug}/oauth2/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=x' }],
      ['userinfo without token', `/t/${f.slug}/oauth2/userinfo`, {}],
      ['authorization redirect', authorizeUrl(meta, { client_id: f.clientId, redirect_uri: `${SPA}/callback`, response_type: 'nope' }).replace(f.publicUrl, ''), { redirect: 'manual' }],
      ['admin API read', '/admin/api/v1/tenants', { headers: { authorization: `Bearer ${token}` } }],
      ['admin API 401', '/admin/api/v1/tenants', {}],
      ['unknown path', '/no/such/path', {}],
      ['preflight', `/t/${f.slug}/oauth2/token`, { method: 'OPTIONS', headers: { origin: SPA, 'access-control-request-method': 'POST' } }],
    ];
    const index = await (await fetch(`${f.server.baseUrl}/`)).text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1];
    expect(asset).toBeDefined();
    requests.push(['dashboard asset', asset!, {}]);
    for (const [name, path, init] of requests) {
      const res = await fetch(`${f.server.baseUrl}${path}`, init);
      expectEverywhereHeaders(res, name);
      // JSON is never rendered as a page, so it needs no CSP; it must not be sniffed as HTML either.
      expect({ name, type: res.status === 204 || res.status === 303 ? 'none' : res.headers.get('content-type') }).not.toEqual({ name, type: null });
    }
  });

  describe('CORS', () => {
    const tokenUrl = () => `${f.server.baseUrl}/t/${f.slug}/oauth2/token`;
    const call = (path: string, origin: string | null, init: RequestInit = {}) =>
      fetch(`${f.server.baseUrl}${path}`, { ...init, headers: { ...(origin ? { origin } : {}), ...(init.headers as Record<string, string>) } });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };

    function expectAllowed(res: Response, origin: string, where: string): void {
      expect({ where, allow: res.headers.get('access-control-allow-origin') }).toEqual({ where, allow: origin });
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('vary') ?? '').toMatch(/\bOrigin\b/i);
    }

    function expectNoCors(res: Response, where: string): void {
      const cors = [...res.headers.keys()].filter((k) => k.startsWith('access-control-'));
      expect({ where, cors }).toEqual({ where, cors: [] });
    }

    it('admits an origin of a registered redirect URI at the token, revocation, userinfo, jwks, discovery and account endpoints', async () => {
      const slug = f.slug;
      const cases: [string, string, RequestInit][] = [
        ['discovery', `/t/${slug}/.well-known/openid-configuration`, {}],
        ['RFC 8414 metadata', `/.well-known/oauth-authorization-server/t/${slug}`, {}],
        ['jwks', `/t/${slug}/oauth2/jwks`, {}],
        ['token', `/t/${slug}/oauth2/token`, { method: 'POST', headers: form, body: `grant_type=authorization_code&code=x&client_id=${f.clientId}&code_verifier=${'v'.repeat(43)}&redirect_uri=${SPA}/callback` }],
        ['revocation', `/t/${slug}/oauth2/revoke`, { method: 'POST', headers: form, body: `token=x&client_id=${f.clientId}` }],
        ['userinfo', `/t/${slug}/oauth2/userinfo`, { headers: { authorization: 'Bearer nope' } }],
        ['account API', `/t/${slug}/account/v1/consents`, { headers: { authorization: 'Bearer nope' } }],
      ];
      for (const origin of [SPA, LOCAL_DEV]) {
        for (const [name, path, init] of cases) {
          const res = await call(path, origin, init);
          expectAllowed(res, origin, `${name} from ${origin}`);
        }
      }
      // A script may read the bearer challenge of a 401.
      const userinfo = await call(`/t/${slug}/oauth2/userinfo`, SPA, { headers: { authorization: 'Bearer nope' } });
      expect(userinfo.status).toBe(401);
      expect(userinfo.headers.get('access-control-expose-headers')).toMatch(/WWW-Authenticate/i);
    });

    it('answers a preflight for an admitted origin, and one for any other origin without CORS headers', async () => {
      const preflight = (origin: string, path = `/t/${f.slug}/oauth2/token`, method = 'POST') =>
        call(path, origin, { method: 'OPTIONS', headers: { 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type' } });
      const ok = await preflight(SPA);
      expect(ok.status).toBe(204);
      expectAllowed(ok, SPA, 'token preflight');
      expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
      expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
      expect(Number(ok.headers.get('access-control-max-age'))).toBeGreaterThan(0);
      const account = await preflight(SPA, `/t/${f.slug}/account/v1/consents/abc`, 'DELETE');
      expect(account.status).toBe(204);
      expect(account.headers.get('access-control-allow-methods')).toContain('DELETE');

      const evil = await preflight('https://evil.example');
      expect(evil.status).toBe(204);
      expectNoCors(evil, 'preflight from an unregistered origin');
      expect(evil.headers.get('vary') ?? '').toMatch(/\bOrigin\b/i);
    });

    it('sends no CORS headers to unregistered origins, other tenants\' origins, or for introspection, pages and the admin API', async () => {
      const other = await admin.createTenant('hdr-other');
      await admin.createClient(other.slug, { type: 'public', grantTypes: ['authorization_code'], redirectUris: ['https://other-tenant.example/cb'], scopes: [] });
      const originOfOther = 'https://other-tenant.example';
      const cases: [string, string, string, RequestInit][] = [
        ['unregistered origin', 'https://evil.example', `/t/${f.slug}/.well-known/openid-configuration`, {}],
        ['look-alike origin', 'https://spa.example.evil.example', `/t/${f.slug}/oauth2/jwks`, {}],
        ['same host, other scheme', 'http://spa.example', `/t/${f.slug}/oauth2/jwks`, {}],
        ['same host, other port', 'https://spa.example:8443', `/t/${f.slug}/oauth2/jwks`, {}],
        ['a native app scheme', 'com.example.app:', `/t/${f.slug}/oauth2/jwks`, {}],
        ['the opaque origin', 'null', `/t/${f.slug}/oauth2/jwks`, {}],
        ["another tenant's origin", originOfOther, `/t/${f.slug}/oauth2/token`, { method: 'POST', headers: form, body: 'grant_type=client_credentials' }],
        ['introspection', SPA, `/t/${f.slug}/oauth2/introspect`, { method: 'POST', headers: form, body: 'token=x' }],
        ['introspection preflight', SPA, `/t/${f.slug}/oauth2/introspect`, { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST' } }],
        ['authorization endpoint', SPA, `/t/${f.slug}/oauth2/authorize?client_id=${f.clientId}`, { redirect: 'manual' }],
        ['admin API', SPA, '/admin/api/v1/tenants', { headers: { authorization: `Bearer ${await admin.accessToken()}` } }],
        ['admin API preflight', SPA, '/admin/api/v1/tenants', { method: 'OPTIONS', headers: { 'access-control-request-method': 'GET' } }],
        ['unknown tenant', SPA, '/t/no-such-tenant-x/oauth2/jwks', {}],
      ];
      for (const [name, origin, path, init] of cases) {
        expectNoCors(await call(path, origin, init), name);
      }
      // The other tenant's own endpoints admit its origin.
      expectAllowed(await call(`/t/${other.slug}/oauth2/jwks`, originOfOther), originOfOther, 'the other tenant');
    });

    it('admits the origin of a newly registered redirect URI at once, and forgets a removed one', async () => {
      const late = 'https://late.example';
      const jwks = `/t/${f.slug}/oauth2/jwks`;
      expectNoCors(await call(jwks, late), 'before registration');
      const client = await admin.createClient(f.slug, { type: 'public', grantTypes: ['authorization_code'], redirectUris: [`${late}/cb`], scopes: [] });
      expectAllowed(await call(jwks, late), late, 'after registration');
      const patched = await admin.request('PATCH', `/tenants/${f.slug}/clients/${client.clientId}`, { redirectUris: ['https://later.example/cb'] });
      expect(patched.status).toBe(200);
      expectNoCors(await call(jwks, late), 'after the redirect URI was changed');
      expectAllowed(await call(jwks, 'https://later.example'), 'https://later.example', 'the new redirect URI');
    });

    it('keeps the token endpoint working across origins: a CORS request gets the same answer as any other', async () => {
      const plain = await fetch(tokenUrl(), { method: 'POST', headers: form, body: 'grant_type=nope' });
      const cors = await call(`/t/${f.slug}/oauth2/token`, SPA, { method: 'POST', headers: form, body: 'grant_type=nope' });
      expect(cors.status).toBe(plain.status);
      expect(await cors.json()).toEqual(await plain.json());
    });
  });
});
