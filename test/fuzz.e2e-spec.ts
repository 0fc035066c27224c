import * as fc from 'fast-check';
import { Browser, pkcePair } from './support/browser.js';
import {
  anyJson,
  contentType,
  encodeForm,
  encodeQuery,
  field,
  formEncoding,
  headerValue,
  hostileString,
  paramPairs,
  percentEncode,
  shaped,
  type FormEncoding,
  type Pair,
} from './support/hostile-arbitraries.js';
import { AdminApi, basic, discover, postForm, type Metadata } from './support/oauth-client.js';
import { authorizeUrl, signIn } from './support/sign-in.js';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

/**
 * Property-based fuzzing (fast-check) of a running server: generated hostile input at the
 * authorization, token, revocation, introspection and admin endpoints. Whatever arrives, the server
 * never answers 5xx, keeps running, and answers in the shape of its endpoint: RFC 6749 section 5.2
 * JSON, an HTML error page or an error redirect to a registered redirect URI (RFC 6749 section
 * 4.1.2.1, RFC 9207), or RFC 9457 problem+json.
 *
 * FUZZ_RUNS (default 200) sets the runs per property and FUZZ_SEED replays a run; each property also
 * stops after FUZZ_PROPERTY_MS (default 8 s) so the file stays under a minute.
 */

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 200);
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
const PROPERTY_MS = Number(process.env['FUZZ_PROPERTY_MS'] ?? 8_000);
const PASSWORD = 'a long enough password';

/** RFC 6749 section 5.2, RFC 7009 section 2.2.1; `temporarily_unavailable` with 429/503 (rate limits, stores down). */
const ENDPOINT_ERRORS = ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'unsupported_token_type', 'temporarily_unavailable'];
/** RFC 6749 section 4.1.2.1 and OIDC Core section 3.1.2.6. */
const AUTHORIZATION_ERRORS = [
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'temporarily_unavailable',
  'login_required',
  'consent_required',
  'interaction_required',
  'account_selection_required',
  'request_not_supported',
  'request_uri_not_supported',
  'registration_not_supported',
];

interface Ctx {
  server: TesseraProcess;
  admin: AdminApi;
  adminToken: string;
  slug: string;
  issuer: string;
  meta: Metadata;
  confidential: { id: string; secret: string };
  publicClientId: string;
  nativeClientId: string;
  /** Registered redirect URIs by client id. */
  redirects: Record<string, string[]>;
  accessToken: string;
  refreshToken: string;
  victimClientId: string;
  victimUserId: string;
  /** Tenants a fuzzed POST /tenants created; removed afterwards. */
  createdTenants: Set<string>;
}

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer | string;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function send(request: Sent): Promise<Answer> {
  const body = Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : request.body;
  const res = await fetch(request.url, { method: request.method, headers: request.headers, body, redirect: 'manual' });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A precise report of what was sent and what came back, for the counterexample fast-check prints. */
function fail(request: Sent, answer: Answer, why: string): never {
  const body = request.body === undefined ? undefined : (Buffer.isBuffer(request.body) ? request.body.toString('latin1') : request.body).slice(0, 600);
  throw new Error(
    `${why}\n  request: ${request.method} ${request.url.slice(0, 600)}\n  headers: ${JSON.stringify(request.headers).slice(0, 600)}\n  body: ${JSON.stringify(body)}\n` +
      `  answer: ${answer.status} ${answer.headers.get('content-type')} ${answer.text.slice(0, 400)}`,
  );
}

function parseJson(request: Sent, answer: Answer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(answer.text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(request, answer, 'the body is not a JSON object');
    return value as Record<string, unknown>;
  } catch {
    return fail(request, answer, 'the body is not JSON');
  }
}

function noServerError(request: Sent, answer: Answer): void {
  if (answer.status >= 500) fail(request, answer, `a ${answer.status}`);
  if (answer.status < 200) fail(request, answer, `an unexpected status ${answer.status}`);
}

/**
 * Refused by Node's HTTP parser before any route, hook or filter runs (headers over 16 KB): only the
 * status can be checked, as in hostile-input.e2e-spec.ts.
 */
function isTransportRefusal(answer: Answer): boolean {
  return answer.status === 431;
}

/** RFC 6749 section 5.2 (token, revocation, introspection): an error is exactly {error, error_description}. */
function checkEndpointAnswer(kind: 'token' | 'revoke' | 'introspect', request: Sent, answer: Answer): void {
  noServerError(request, answer);
  if (isTransportRefusal(answer)) return;
  if (answer.status === 200) {
    if (kind === 'revoke') return;
    const body = parseJson(request, answer);
    if (kind === 'token' && (typeof body['access_token'] !== 'string' || typeof body['token_type'] !== 'string')) fail(request, answer, 'a 200 without a token');
    if (kind === 'introspect' && typeof body['active'] !== 'boolean') fail(request, answer, 'an introspection answer without active');
    return;
  }
  if (answer.status < 400) fail(request, answer, `an unexpected ${answer.status}`);
  if (!/^application\/json/.test(answer.headers.get('content-type') ?? '')) fail(request, answer, 'an error that is not JSON');
  const body = parseJson(request, answer);
  if (Object.keys(body).sort().join(',') !== 'error,error_description') fail(request, answer, 'an error body that is not {error, error_description}');
  if (!ENDPOINT_ERRORS.includes(body['error'] as string)) fail(request, answer, `an error code outside RFC 6749/7009: ${String(body['error'])}`);
  if (typeof body['error_description'] !== 'string') fail(request, answer, 'an error_description that is not a string');
  if (kind === 'token' && answer.headers.get('cache-control') !== 'no-store') fail(request, answer, 'a token error without Cache-Control: no-store');
  const auth = request.headers['authorization'] ?? '';
  if (answer.status === 401 && /^basic /i.test(auth) && !answer.headers.get('www-authenticate')) fail(request, answer, 'a 401 to Basic credentials without WWW-Authenticate');
  if (answer.status === 429 && !answer.headers.get('retry-after')) fail(request, answer, 'a 429 without Retry-After');
}

/** Same-origin redirect URI comparison, loopback port excepted (RFC 8252 section 7.3). */
function isRegistered(target: string, registered: readonly string[]): boolean {
  if (registered.includes(target)) return true;
  try {
    const url = new URL(target);
    if (url.protocol !== 'http:' || !['127.0.0.1', '[::1]'].includes(url.hostname)) return false;
    return registered.includes(target.replace(`${url.hostname}:${url.port}`, url.hostname));
  } catch {
    return false;
  }
}

/**
 * The authorization endpoint: an HTML error page (4xx, no Location), a redirect to the login page,
 * or an error redirect to a redirect URI the client registered, with `error` and `iss` (and `state`
 * as sent).
 */
function checkAuthorizationAnswer(ctx: Ctx, pairs: readonly Pair[], request: Sent, answer: Answer): void {
  noServerError(request, answer);
  if (isTransportRefusal(answer)) return;
  const location = answer.headers.get('location');
  if (answer.status >= 400) {
    if (location !== null) fail(request, answer, 'an error page with a Location header');
    if (!/^text\/html/.test(answer.headers.get('content-type') ?? '')) fail(request, answer, 'an authorization error that is not an HTML page');
    if (![400, 404, 413, 414, 415, 429].includes(answer.status)) fail(request, answer, `an error page with status ${answer.status}`);
    return;
  }
  if (answer.status !== 302 && answer.status !== 303) fail(request, answer, `an unexpected ${answer.status}`);
  if (location === null) return fail(request, answer, 'a redirect without Location');
  if (location.startsWith(`${ctx.issuer}/interaction/`) && location.endsWith('/login')) return;
  const target = location.split(/[?#]/)[0]!;
  const clientIds = pairs.filter(([k]) => k === 'client_id').map(([, v]) => v);
  const registered = clientIds.length === 1 ? (ctx.redirects[clientIds[0]!] ?? []) : [];
  if (!isRegistered(target, registered)) fail(request, answer, 'a redirect to a URI the client did not register');
  const url = new URL(location);
  const params = url.hash ? new URLSearchParams(url.hash.slice(1)) : url.searchParams;
  const error = params.get('error');
  if (error === null) return fail(request, answer, 'a redirect to the client without error (no session, so no code)');
  if (!AUTHORIZATION_ERRORS.includes(error)) fail(request, answer, `an authorization error code outside RFC 6749/OIDC: ${error}`);
  if (params.get('iss') !== ctx.issuer) fail(request, answer, 'an error redirect without iss (RFC 9207)');
  const states = pairs.filter(([k]) => k === 'state').map(([, v]) => v);
  if (states.length === 1 && /^[\x21-\x7e]+$/.test(states[0]!) && !/%/.test(states[0]!) && params.get('state') !== states[0]) {
    fail(request, answer, 'an error redirect that does not echo state');
  }
}

/** RFC 9457: every admin error is problem+json with a numeric status equal to the HTTP status and a title. */
function checkAdminAnswer(request: Sent, answer: Answer): void {
  noServerError(request, answer);
  if (isTransportRefusal(answer)) return;
  if (answer.status < 400) {
    if (answer.status !== 204 && answer.text !== '') parseJson(request, answer);
    return;
  }
  if (!/^application\/problem\+json/.test(answer.headers.get('content-type') ?? '')) fail(request, answer, 'an admin error that is not problem+json');
  const body = parseJson(request, answer);
  if (body['status'] !== answer.status) fail(request, answer, 'a problem whose status is not the HTTP status');
  if (typeof body['title'] !== 'string' || body['title'] === '') fail(request, answer, 'a problem without a title');
  if (typeof body['detail'] !== 'string') fail(request, answer, 'a problem without a detail');
}

async function stillHealthy(ctx: Ctx): Promise<void> {
  expect(ctx.server.child.exitCode).toBeNull();
  expect((await fetch(`${ctx.server.baseUrl}/healthz`)).status).toBe(200);
  expect((await fetch(`${ctx.server.baseUrl}/readyz`)).status).toBe(200);
}

function run<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>): Promise<void> {
  return fc.assert(fc.asyncProperty(arbitrary, predicate), {
    numRuns: RUNS,
    seed: SEED,
    plugins: [fc.interruptAfterTimeLimit(PROPERTY_MS)],
  });
}

/** Headers that matter at an OAuth endpoint: client authentication, content type, and a few more. */
function oauthHeaders(ctx: Ctx): fc.Arbitrary<Record<string, string>> {
  const authorization = fc.oneof(
    { weight: 3, arbitrary: fc.constant(basic(ctx.confidential.id, ctx.confidential.secret)) },
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.tuple(hostileString, hostileString).map(([u, p]) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`) },
    { weight: 1, arbitrary: fc.tuple(hostileString, hostileString).map(([u, p]) => `Basic ${Buffer.from(`${percentEncode(u)}:${percentEncode(p)}`).toString('base64')}`) },
    { weight: 1, arbitrary: hostileString.map((p) => `Basic ${Buffer.from(`${ctx.confidential.id}:${p}`).toString('base64')}`) },
    { weight: 1, arbitrary: headerValue.map((v) => `Basic ${v}`) },
    { weight: 1, arbitrary: headerValue.map((v) => `Bearer ${v}`) },
    { weight: 1, arbitrary: headerValue },
  );
  return fc
    .record({
      authorization,
      'content-type': contentType,
      origin: fc.option(fc.oneof(fc.constantFrom('https://app.example', 'null'), headerValue), { nil: undefined }),
      cookie: fc.option(headerValue, { nil: undefined }),
      'x-request-id': fc.option(headerValue, { nil: undefined }),
      accept: fc.option(headerValue, { nil: undefined }),
    })
    .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>);
}

/**
 * The tenant segment: ours almost always, else anything but empty (`/t//oauth2/token` is no
 * tenant's endpoint: an unknown path, answered as problem+json like every unknown path).
 */
function tenantSegment(ctx: Ctx): fc.Arbitrary<string> {
  return fc.oneof({ weight: 12, arbitrary: fc.constant(ctx.slug) }, { weight: 1, arbitrary: hostileString.filter((t) => t !== '').map(percentEncode) });
}

describe('fuzzing the OAuth endpoints and the admin API with generated hostile input (fast-check)', () => {
  const ctx = { createdTenants: new Set<string>() } as Ctx;

  beforeAll(async () => {
    ctx.server = await startTessera();
    ctx.admin = new AdminApi(ctx.server);
    ctx.adminToken = await ctx.admin.accessToken();
    const tenant = await ctx.admin.createTenant('fuzz');
    ctx.slug = tenant.slug;
    ctx.issuer = tenant.issuer;
    ctx.meta = await discover(tenant.issuer);
    await ctx.admin.request('POST', `/tenants/${ctx.slug}/scopes`, { name: 'orders:read' });
    const user = await ctx.admin.request<{ id: string }>('POST', `/tenants/${ctx.slug}/users`, { username: 'ada', password: PASSWORD });
    expect(user.status).toBe(201);
    const confidential = await ctx.admin.createClient(ctx.slug, {
      grantTypes: ['client_credentials', 'authorization_code', 'refresh_token'],
      redirectUris: ['https://app.example/cb'],
      scopes: ['openid', 'offline_access', 'orders:read'],
    });
    ctx.confidential = { id: confidential.clientId, secret: confidential.clientSecret };
    const spa = await ctx.admin.createClient(ctx.slug, {
      type: 'public',
      firstParty: true,
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['https://spa.example/cb'],
      scopes: ['openid', 'profile', 'offline_access', 'orders:read'],
    });
    ctx.publicClientId = spa.clientId;
    const native = await ctx.admin.createClient(ctx.slug, {
      type: 'public',
      grantTypes: ['authorization_code'],
      redirectUris: ['com.example.app:/cb', 'http://127.0.0.1/cb'],
      scopes: ['openid'],
    });
    ctx.nativeClientId = native.clientId;
    ctx.redirects = {
      [ctx.confidential.id]: ['https://app.example/cb'],
      [ctx.publicClientId]: ['https://spa.example/cb'],
      [ctx.nativeClientId]: ['com.example.app:/cb', 'http://127.0.0.1/cb'],
    };
    ctx.victimClientId = (await ctx.admin.createClient(ctx.slug, { name: 'Victim' })).clientId;
    const victim = await ctx.admin.request<{ id: string }>('POST', `/tenants/${ctx.slug}/users`, { username: 'victim', password: PASSWORD });
    ctx.victimUserId = victim.body.id;

    // Real tokens, so that generated requests also reach the code paths of valid ones.
    const cc = await postForm<{ access_token: string }>(ctx.meta.token_endpoint, { grant_type: 'client_credentials', scope: 'orders:read' }, { authorization: basic(ctx.confidential.id, ctx.confidential.secret) });
    ctx.accessToken = cc.body.access_token;
    const pkce = pkcePair();
    const signedIn = await signIn(
      new Browser(),
      ctx.server.baseUrl,
      authorizeUrl(ctx.meta, {
        response_type: 'code',
        client_id: ctx.publicClientId,
        redirect_uri: 'https://spa.example/cb',
        scope: 'openid offline_access',
        prompt: 'consent',
        code_challenge: pkce.challenge,
        code_challenge_method: 'S256',
      }),
      { username: 'ada', password: PASSWORD },
    );
    const tokens = await postForm<{ refresh_token: string }>(ctx.meta.token_endpoint, {
      grant_type: 'authorization_code',
      code: signedIn.location.searchParams.get('code')!,
      redirect_uri: 'https://spa.example/cb',
      client_id: ctx.publicClientId,
      code_verifier: pkce.verifier,
    });
    expect(typeof tokens.body.refresh_token).toBe('string');
    ctx.refreshToken = tokens.body.refresh_token;
  }, 60_000);

  afterAll(async () => {
    if (ctx.admin) {
      for (const slug of ctx.createdTenants) await ctx.admin.request('DELETE', `/tenants/${encodeURIComponent(slug)}`).catch(() => undefined);
      if (ctx.slug) await ctx.admin.request('DELETE', `/tenants/${ctx.slug}`).catch(() => undefined);
    }
    await ctx.server?.stop();
  });

  /** Client authentication parameters shared by the three endpoints. */
  const clientParams = () => ({
    client_id: [ctx.confidential.id, ctx.publicClientId, ctx.nativeClientId],
    client_secret: [ctx.confidential.secret],
  });

  function endpointRequest(kind: 'token' | 'revoke' | 'introspect', known: Record<string, readonly string[]>): fc.Arbitrary<Sent> {
    return fc
      .record({
        tenant: tenantSegment(ctx),
        method: fc.constantFrom('POST', 'POST', 'POST', 'POST', 'POST', 'POST', 'GET', 'PUT'),
        pairs: paramPairs(known),
        encoding: formEncoding,
        jsonBody: fc.boolean(),
        headers: oauthHeaders(ctx),
      })
      .map(({ tenant, method, pairs, encoding, jsonBody, headers }) => {
        const body = method === 'GET' ? undefined : jsonBody ? JSON.stringify(Object.fromEntries(pairs)) : encodeForm(pairs, encoding);
        if (method === 'GET') delete headers['content-type'];
        return { method, url: `${ctx.server.baseUrl}/t/${tenant}/oauth2/${kind}`, headers, body };
      });
  }

  it('token endpoint: never a 5xx, every error {error, error_description} with an RFC 6749 code', async () => {
    const known = {
      grant_type: ['client_credentials', 'authorization_code', 'refresh_token', 'password', 'implicit', 'urn:ietf:params:oauth:grant-type:device_code'],
      ...clientParams(),
      scope: ['orders:read', 'openid', 'openid offline_access', 'orders:read orders:read', 'unknown:scope'],
      code: ['a'.repeat(43)],
      redirect_uri: ['https://app.example/cb', 'https://spa.example/cb', 'http://127.0.0.1:9/cb'],
      code_verifier: ['v'.repeat(43), 'short'],
      refresh_token: [ctx.refreshToken],
      username: ['ada'],
      password: [PASSWORD],
      resource: ['https://api.example'],
    };
    await run(endpointRequest('token', known), async (request) => checkEndpointAnswer('token', request, await send(request)));
    await stillHealthy(ctx);
  }, 60_000);

  it('revocation endpoint: never a 5xx, every error in the RFC 7009 shape', async () => {
    const known = { token: [ctx.accessToken, ctx.refreshToken, 'x'], token_type_hint: ['access_token', 'refresh_token', 'id_token'], ...clientParams() };
    await run(endpointRequest('revoke', known), async (request) => checkEndpointAnswer('revoke', request, await send(request)));
    await stillHealthy(ctx);
  }, 60_000);

  it('introspection endpoint: never a 5xx, {active} or an RFC 6749 error', async () => {
    const known = { token: [ctx.accessToken, ctx.refreshToken, 'x'], token_type_hint: ['access_token', 'refresh_token'], ...clientParams() };
    await run(endpointRequest('introspect', known), async (request) => checkEndpointAnswer('introspect', request, await send(request)));
    await stillHealthy(ctx);
  }, 60_000);

  it('authorization endpoint: never a 5xx; an HTML error page without Location, or a redirect with error and iss to a registered URI', async () => {
    const { challenge } = pkcePair();
    const known = {
      response_type: ['code', 'token', 'id_token', 'code id_token', 'none'],
      client_id: [ctx.confidential.id, ctx.publicClientId, ctx.nativeClientId],
      redirect_uri: ['https://app.example/cb', 'https://spa.example/cb', 'com.example.app:/cb', 'http://127.0.0.1:4711/cb', 'https://app.example/cb/../x'],
      scope: ['openid', 'openid profile', 'openid offline_access', 'orders:read', 'unknown:scope'],
      state: ['af0ifjsldkj', 'x y'],
      code_challenge: [challenge],
      code_challenge_method: ['S256', 'plain'],
      nonce: ['n-0S6_WzA2Mj'],
      prompt: ['none', 'login', 'consent', 'none login', 'select_account'],
      max_age: ['0', '60', '-1'],
      login_hint: ['ada'],
      response_mode: ['query', 'fragment', 'form_post'],
      request: ['eyJhbGciOiJub25lIn0.e30.'],
      request_uri: ['urn:ietf:params:oauth:request_uri:x'],
    };
    const arbitrary = fc.record({
      tenant: tenantSegment(ctx),
      post: fc.boolean(),
      pairs: paramPairs(known),
      encoding: formEncoding,
      headers: oauthHeaders(ctx),
    });
    await run(arbitrary, async ({ tenant, post, pairs, encoding, headers }) => {
      delete headers['authorization'];
      const url = `${ctx.server.baseUrl}/t/${tenant}/oauth2/authorize`;
      let request: Sent;
      if (post) {
        request = { method: 'POST', url, headers, body: encodeForm(pairs, encoding) };
      } else {
        delete headers['content-type'];
        request = { method: 'GET', url: `${url}?${encodeQuery(pairs, encoding)}`, headers };
      }
      const answer = await send(request);
      if (tenant !== ctx.slug && answer.status === 404) return;
      checkAuthorizationAnswer(ctx, tenant === ctx.slug ? pairs : [], request, answer);
    });
    await stillHealthy(ctx);
  }, 60_000);

  it('admin API: arbitrary JSON and near-valid bodies, paths and queries are never a 5xx, every error problem+json', async () => {
    const slug = ctx.slug;
    const id = fc.oneof(hostileString.map(percentEncode), fc.uuid());
    const grantTypes = fc.subarray(['authorization_code', 'refresh_token', 'client_credentials', 'password', 'implicit', 'device_code']);
    const uris = fc.array(fc.oneof(fc.constantFrom('https://a.example/cb', 'http://127.0.0.1/cb', 'com.example:/cb', 'http://a.example/cb', 'https://a.example/#x'), hostileString), { maxLength: 3 });
    const bodies: Record<string, fc.Arbitrary<unknown>> = {
      tenant: shaped({
        slug: field(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}$/).map((s) => `fz-${s}`)),
        displayName: field(fc.string()),
        settings: field(shaped({ audience: field(fc.webUrl()), passwordGrantEnabled: field(fc.boolean()), implicitGrantEnabled: field(fc.boolean()), branding: field(shaped({ logoUrl: field(fc.webUrl()), primaryColor: field(fc.constantFrom('#112233', 'red')) })) })),
      }),
      client: shaped({
        name: field(fc.string()),
        type: field(fc.constantFrom('confidential', 'public')),
        redirectUris: field(uris),
        postLogoutRedirectUris: field(uris),
        grantTypes: field(grantTypes),
        scopes: field(fc.subarray(['openid', 'profile', 'orders:read', 'nope'])),
        firstParty: field(fc.boolean()),
        accessTokenTtl: field(fc.integer({ min: -10, max: 10 ** 7 })),
        refreshTokenTtl: field(fc.integer({ min: -10, max: 10 ** 9 })),
      }),
      user: shaped({ username: field(fc.string()), email: field(fc.emailAddress()), password: field(fc.string({ minLength: 0, maxLength: 80 })), name: field(fc.string()), disabled: field(fc.boolean()), emailVerified: field(fc.boolean()) }),
      scope: shaped({ name: field(fc.stringMatching(/^[a-z]{1,8}:[a-z]{1,8}$/)), description: field(fc.string()) }),
      revoke: shaped({ jti: field(fc.uuid()), clientId: field(fc.constant(ctx.victimClientId)), userId: field(fc.constant(ctx.victimUserId)) }),
      member: shaped({ userId: field(fc.uuid()), email: field(fc.emailAddress()), role: field(fc.constantFrom('owner', 'admin', 'viewer')) }),
    };
    const query = fc.array(fc.tuple(fc.constantFrom('limit', 'cursor', 'clientId', 'userId', 'action', 'actorId', 'targetId', '__proto__'), fc.oneof(fc.constantFrom('1', '0', '500', '-1', '2.5'), hostileString)), { maxLength: 4 });
    type Op = { method: string; path: string; body?: unknown };
    const ops: fc.Arbitrary<Op> = fc.oneof(
      bodies['tenant']!.map((body) => ({ method: 'POST', path: '/tenants', body })),
      bodies['tenant']!.map((body) => ({ method: 'PATCH', path: `/tenants/${slug}`, body })),
      bodies['client']!.map((body) => ({ method: 'POST', path: `/tenants/${slug}/clients`, body })),
      bodies['client']!.map((body) => ({ method: 'PATCH', path: `/tenants/${slug}/clients/${ctx.victimClientId}`, body })),
      bodies['user']!.map((body) => ({ method: 'POST', path: `/tenants/${slug}/users`, body })),
      bodies['user']!.map((body) => ({ method: 'PATCH', path: `/tenants/${slug}/users/${ctx.victimUserId}`, body })),
      bodies['scope']!.map((body) => ({ method: 'POST', path: `/tenants/${slug}/scopes`, body })),
      bodies['revoke']!.map((body) => ({ method: 'POST', path: `/tenants/${slug}/tokens/revoke`, body })),
      bodies['member']!.map((body) => ({ method: 'POST', path: `/tenants/${slug}/members`, body })),
      anyJson.map((body) => ({ method: 'POST', path: `/tenants/${slug}/clients/${ctx.victimClientId}/secret`, body })),
      fc.tuple(fc.constantFrom('POST', 'PATCH'), fc.constantFrom('/tenants', `/tenants/${slug}`, `/tenants/${slug}/clients`, `/tenants/${slug}/users`, `/tenants/${slug}/scopes`, `/tenants/${slug}/tokens/revoke`, `/tenants/${slug}/members`), anyJson).map(([method, path, body]) => ({ method, path, body })),
      fc.tuple(fc.constantFrom('tenants', 'clients', 'users', 'scopes', 'consents', 'tokens', 'audit-events', 'keys', 'members'), query).map(([what, q]) => ({
        method: 'GET',
        path: `${what === 'tenants' ? '/tenants' : `/tenants/${slug}/${what}`}?${q.map(([k, v]) => `${k}=${percentEncode(v)}`).join('&')}`,
      })),
      fc.tuple(fc.constantFrom('GET', 'PATCH'), id).map(([method, s]) => ({ method, path: `/tenants/${s}`, body: method === 'PATCH' ? {} : undefined })),
      fc.tuple(fc.constantFrom('GET', 'DELETE', 'PATCH'), fc.constantFrom('clients', 'users', 'scopes', 'consents', 'members'), id).map(([method, what, s]) => ({ method, path: `/tenants/${slug}/${what}/${s}`, body: method === 'PATCH' ? {} : undefined })),
    );
    const arbitrary = fc.record({
      op: ops,
      token: fc.oneof({ weight: 8, arbitrary: fc.constant('valid') }, { weight: 1, arbitrary: fc.constant('none') }, { weight: 1, arbitrary: headerValue }),
      wire: fc.oneof(
        { weight: 8, arbitrary: fc.constant<{ type: string | undefined; enc: FormEncoding | 'json' | 'bytes' }>({ type: 'application/json', enc: 'json' }) },
        { weight: 2, arbitrary: fc.record({ type: contentType, enc: fc.constantFrom<FormEncoding | 'json' | 'bytes'>('json', 'standard', 'raw-utf8', 'bytes') }) },
      ),
      bytes: fc.uint8Array({ maxLength: 200 }),
    });
    await run(arbitrary, async ({ op, token, wire, bytes }) => {
      const headers: Record<string, string> = {};
      if (token === 'valid') headers['authorization'] = `Bearer ${ctx.adminToken}`;
      else if (token !== 'none') headers['authorization'] = `Bearer ${token}`;
      let body: Buffer | string | undefined;
      if (op.body !== undefined) {
        if (wire.enc === 'json') body = JSON.stringify(op.body);
        else if (wire.enc === 'bytes') body = Buffer.from(bytes);
        else body = encodeForm(Object.entries(op.body ?? {}).map(([k, v]): Pair => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')]), wire.enc);
        if (wire.type !== undefined) headers['content-type'] = wire.type;
      }
      const request: Sent = { method: op.method, url: `${ctx.server.baseUrl}/admin/api/v1${op.path}`, headers, body };
      const answer = await send(request);
      if (op.method === 'POST' && op.path === '/tenants' && answer.status === 201) ctx.createdTenants.add(String(JSON.parse(answer.text).slug));
      checkAdminAnswer(request, answer);
    });
    await stillHealthy(ctx);
  }, 60_000);

  it('is whole afterwards: a normal client_credentials request and admin read still work', async () => {
    await stillHealthy(ctx);
    const issued = await postForm(ctx.meta.token_endpoint, { grant_type: 'client_credentials' }, { authorization: basic(ctx.confidential.id, ctx.confidential.secret) });
    expect([200, 429]).toContain(issued.status);
    expect((await ctx.admin.request('GET', `/tenants/${ctx.slug}`)).status).toBe(200);
  });
});
