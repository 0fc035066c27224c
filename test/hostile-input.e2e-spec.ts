import { connect } from 'node:net';
import { AdminApi, basic, clientCredentials, discover } from './support/oauth-client.js';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

/**
 * Hostile input to the token endpoint and the admin API. Every answer must be a 4xx in the shape of
 * its endpoint (RFC 6749 JSON or RFC 9457 problem+json), never a 5xx, a stack trace or SQL; and the
 * server must be whole afterwards.
 */

const RFC6749_ERRORS = ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope'];
const KB100 = 'x'.repeat(100 * 1024);
const SQL = ["' OR 1=1 --", '"; DROP TABLE tenants; --'];
/** Slugs a hostile request would create if it were wrongly accepted; unique per run (the test database persists). */
const RUN = Math.random().toString(36).slice(2, 8);

interface Ctx {
  server: TesseraProcess;
  slug: string;
  tokenUrl: string;
  client: { id: string; secret: string };
  adminToken: string;
  adminBase: string;
  clientId: string;
}

interface Answer {
  status: number;
  contentType: string;
  cacheControl: string;
  text: string;
}

/**
 * `oauth`: an OAuth endpoint, answering RFC 6749 section 5.2 JSON. `admin`: the admin API, answering
 * problem+json. `transport`: refused by Node's HTTP parser before any route (header too large, bytes
 * not allowed in a request line), so only the status is checked.
 */
type Kind = 'oauth' | 'admin' | 'transport';

interface Case {
  name: string;
  kind: Kind;
  send(ctx: Ctx): Promise<Answer>;
}

async function answer(res: Response): Promise<Answer> {
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    cacheControl: res.headers.get('cache-control') ?? '',
    text: await res.text(),
  };
}

/**
 * Sends bytes exactly as given (fetch would refuse or fix them) and reads one answer: done when its
 * Content-Length is in, or when the server closes the connection.
 */
function raw(ctx: Ctx, head: string, body: Buffer | string = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(ctx.server.port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let done = false;
    const parse = () => {
      const text = received.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return null;
      const headerPart = text.slice(0, end);
      const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(headerPart)?.[1]?.trim() ?? '';
      return {
        status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(headerPart)?.[1] ?? 0),
        contentType: header('content-type'),
        cacheControl: header('cache-control'),
        length: Number(header('content-length') || 0),
        text: received.subarray(Buffer.byteLength(headerPart, 'latin1') + 4).toString('utf8'),
      };
    };
    const finish = (error?: Error) => {
      if (done) return;
      const answer = parse();
      if (!answer && error) {
        done = true;
        reject(error);
        return;
      }
      if (!answer) return;
      if (!error && Buffer.byteLength(answer.text) < answer.length) return;
      done = true;
      socket.destroy();
      const { length: _length, ...rest } = answer;
      resolve(rest);
    };
    socket.setTimeout(10_000, () => finish(new Error('raw request timed out')));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      finish();
    });
    // The server may answer and close before it has read everything we send (413, 431).
    socket.on('error', (error) => finish(error));
    socket.on('close', () => finish(new Error('connection closed')));
    socket.write(Buffer.concat([Buffer.from(head.replace(/\n/g, '\r\n') + '\r\n', 'latin1'), Buffer.from(body)]));
  });
}

function token(ctx: Ctx, body: BodyInit | undefined, headers: Record<string, string> = {}, method = 'POST', url = ctx.tokenUrl): Promise<Answer> {
  return fetch(url, { method, headers, body }).then(answer);
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const withAuth = (ctx: Ctx, extra: Record<string, string> = {}) => ({ ...FORM, authorization: basic(ctx.client.id, ctx.client.secret), ...extra });
const form = (params: [string, string][]) => params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

function adminCall(ctx: Ctx, method: string, path: string, body?: BodyInit, contentType: string | null = 'application/json'): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${ctx.adminToken}` };
  if (contentType !== null) headers['content-type'] = contentType;
  return fetch(`${ctx.adminBase}${path}`, { method, headers, body }).then(answer);
}

function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

const oauth = (name: string, send: (ctx: Ctx) => Promise<Answer>): Case => ({ name, kind: 'oauth', send });
const admin = (name: string, send: (ctx: Ctx) => Promise<Answer>): Case => ({ name, kind: 'admin', send });
const transport = (name: string, send: (ctx: Ctx) => Promise<Answer>): Case => ({ name, kind: 'transport', send });

const TOKEN_PARAMS = ['grant_type', 'scope', 'client_id', 'client_secret'] as const;

/** Valid parameters with one of them replaced. */
function tokenParams(ctx: Ctx, name: (typeof TOKEN_PARAMS)[number], value: string): [string, string][] {
  const params: Record<string, string> = { grant_type: 'client_credentials', client_id: ctx.client.id, client_secret: ctx.client.secret };
  params[name] = value;
  return Object.entries(params);
}

const tokenCases: Case[] = [
  // Content types and malformed bodies.
  oauth('token: a JSON body', (c) => token(c, JSON.stringify({ grant_type: 'client_credentials' }), withAuth(c, { 'content-type': 'application/json' }))),
  oauth('token: broken JSON', (c) => token(c, '{"grant_type": ', withAuth(c, { 'content-type': 'application/json' }))),
  oauth('token: a JSON array', (c) => token(c, '["grant_type"]', withAuth(c, { 'content-type': 'application/json' }))),
  oauth('token: multipart/form-data', (c) => {
    const fd = new FormData();
    fd.set('grant_type', 'client_credentials');
    return token(c, fd, { authorization: basic(c.client.id, c.client.secret) });
  }),
  oauth('token: XML', (c) => token(c, '<grant_type>client_credentials</grant_type>', withAuth(c, { 'content-type': 'application/xml' }))),
  oauth('token: text/plain', (c) => token(c, 'grant_type=client_credentials', withAuth(c, { 'content-type': 'text/plain' }))),
  oauth('token: no content type', (c) => token(c, new TextEncoder().encode('grant_type=client_credentials'), { authorization: basic(c.client.id, c.client.secret) })),
  oauth('token: a form body in UTF-16', (c) =>
    token(c, Buffer.from('grant_type=client_credentials', 'utf16le'), withAuth(c, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-16' })),
  ),
  oauth('token: an empty body', (c) => token(c, '', withAuth(c))),
  oauth('token: a body of only separators', (c) => token(c, '&&&===&', withAuth(c))),
  // Repeated parameters (RFC 6749 section 3.2).
  oauth('token: grant_type twice', (c) => token(c, 'grant_type=client_credentials&grant_type=client_credentials', withAuth(c))),
  oauth('token: scope twice', (c) => token(c, 'grant_type=client_credentials&scope=a&scope=b', withAuth(c))),
  oauth('token: client_id twice', (c) => token(c, form([['grant_type', 'client_credentials'], ['client_id', c.client.id], ['client_id', c.client.id], ['client_secret', c.client.secret]]), FORM)),
  // 100 KB values.
  ...TOKEN_PARAMS.map((p) => oauth(`token: 100 KB ${p}`, (c) => token(c, form(tokenParams(c, p, KB100)), FORM))),
  oauth('token: a 10 KB client id in the Basic header', (c) => token(c, 'grant_type=client_credentials', { ...FORM, authorization: basic('i'.repeat(10_000), 's') })),
  transport('token: a 100 KB Basic header', (c) =>
    raw(c, `POST /t/${c.slug}/oauth2/token HTTP/1.1\nHost: x\nContent-Type: application/x-www-form-urlencoded\nAuthorization: Basic ${Buffer.from(`${KB100}:x`).toString('base64')}\nContent-Length: 29\nConnection: close\n`, 'grant_type=client_credentials'),
  ),
  // NUL bytes, percent-encoded and raw.
  ...TOKEN_PARAMS.map((p) => oauth(`token: %00 in ${p}`, (c) => token(c, form(tokenParams(c, p, `${p === 'client_id' ? c.client.id : 'client_credentials'}\u0000x`)), FORM))),
  ...TOKEN_PARAMS.map((p) =>
    oauth(`token: a raw NUL byte in ${p}`, (c) => {
      const body = form(tokenParams(c, p, 'PLACEHOLDER')).replace('PLACEHOLDER', 'a\u0000b');
      return token(c, Buffer.from(body, 'latin1'), FORM);
    }),
  ),
  oauth('token: a raw NUL byte in the grant_type parameter name', (c) => token(c, Buffer.from('grant\u0000_type=client_credentials', 'latin1'), withAuth(c))),
  oauth('token: %00 in the Basic client id', (c) => token(c, 'grant_type=client_credentials', { ...FORM, authorization: basic(`${c.client.id}\u0000`, c.client.secret) })),
  oauth('token: %00 in the Basic secret', (c) => token(c, 'grant_type=client_credentials', { ...FORM, authorization: basic(c.client.id, `${c.client.secret}\u0000`) })),
  oauth('token: a raw NUL in the decoded Basic credentials', (c) =>
    token(c, 'grant_type=client_credentials', { ...FORM, authorization: `Basic ${Buffer.from(`a\u0000b:c\u0000d`).toString('base64')}` }),
  ),
  oauth('token: Basic credentials that are not base64', (c) => token(c, 'grant_type=client_credentials', { ...FORM, authorization: 'Basic !!!%%%' })),
  oauth('token: Basic credentials with broken percent-encoding', (c) =>
    token(c, 'grant_type=client_credentials', { ...FORM, authorization: `Basic ${Buffer.from('%E0%A4%A:%zz').toString('base64')}` }),
  ),
  oauth('token: %00 in the tenant slug', (c) => token(c, 'grant_type=client_credentials', withAuth(c), 'POST', `${c.server.baseUrl}/t/${c.slug}%00/oauth2/token`)),
  transport('token: a raw NUL byte in the tenant slug', (c) =>
    raw(c, `POST /t/${c.slug}\u0000/oauth2/token HTTP/1.1\nHost: x\nContent-Type: application/x-www-form-urlencoded\nContent-Length: 29\nConnection: close\n`, 'grant_type=client_credentials'),
  ),
  // SQL-looking strings.
  ...SQL.flatMap((s) => [
    oauth(`token: ${s} as client_id`, (c) => token(c, form([['grant_type', 'client_credentials'], ['client_id', s], ['client_secret', 'x']]), FORM)),
    oauth(`token: ${s} as scope`, (c) => token(c, form([['grant_type', 'client_credentials'], ['scope', s]]), withAuth(c))),
    oauth(`token: ${s} as grant_type`, (c) => token(c, form([['grant_type', s]]), withAuth(c))),
    oauth(`token: ${s} in the Basic client id`, (c) => token(c, 'grant_type=client_credentials', { ...FORM, authorization: basic(s, 'x') })),
    oauth(`token: ${s} as the tenant slug`, (c) =>
      token(c, 'grant_type=client_credentials', withAuth(c), 'POST', `${c.server.baseUrl}/t/${encodeURIComponent(s)}/oauth2/token`),
    ),
  ]),
  // Unicode oddities.
  oauth('token: an RTL override in client_id', (c) => token(c, form([['grant_type', 'client_credentials'], ['client_id', `\u202E${c.client.id}`], ['client_secret', c.client.secret]]), FORM)),
  oauth('token: an emoji scope', (c) => token(c, form([['grant_type', 'client_credentials'], ['scope', 'orders:read 🦄']]), withAuth(c))),
  oauth('token: a lone surrogate (%ED%A0%80) in client_id', (c) => token(c, `grant_type=client_credentials&client_id=%ED%A0%80&client_secret=x`, FORM)),
  oauth('token: a lone surrogate (%ED%A0%80) in scope', (c) => token(c, `grant_type=client_credentials&scope=%ED%A0%80`, withAuth(c))),
  oauth('token: broken percent-encoding (%E0%A4%A)', (c) => token(c, `grant_type=client_credentials&scope=%E0%A4%A`, withAuth(c))),
  oauth('token: a lone surrogate in the tenant slug', (c) => token(c, 'grant_type=client_credentials', withAuth(c), 'POST', `${c.server.baseUrl}/t/%ED%A0%80/oauth2/token`)),
  oauth('token: an emoji tenant slug', (c) => token(c, 'grant_type=client_credentials', withAuth(c), 'POST', `${c.server.baseUrl}/t/${encodeURIComponent('🦄')}/oauth2/token`)),
  // Sizes and shapes.
  // Sent raw: the server answers 413 from Content-Length alone and may close before it reads the body.
  oauth('token: a body over 1 MB', (c) =>
    raw(c, `POST /t/${c.slug}/oauth2/token HTTP/1.1\nHost: x\nContent-Type: application/x-www-form-urlencoded\nContent-Length: ${1024 * 1024 + 100}\n`, `grant_type=client_credentials&scope=${'a'.repeat(60_000)}`),
  ),
  oauth('token: a 2000-character tenant slug', (c) => token(c, 'grant_type=client_credentials', withAuth(c), 'POST', `${c.server.baseUrl}/t/${'a'.repeat(2000)}/oauth2/token`)),
  transport('token: a 100 KB URL path', (c) =>
    raw(c, `POST /t/${'a'.repeat(100 * 1024)}/oauth2/token HTTP/1.1\nHost: x\nContent-Type: application/x-www-form-urlencoded\nContent-Length: 29\nConnection: close\n`, 'grant_type=client_credentials'),
  ),
  oauth('token: 10k levels of nested JSON', (c) => token(c, nested(10_000), withAuth(c, { 'content-type': 'application/json' }))),
  oauth('token: 5000 parameters', (c) => token(c, Array.from({ length: 5000 }, (_, i) => `p${i}=${i}`).join('&'), FORM)),
  // Prototype pollution.
  oauth('token: __proto__ as a parameter name', (c) => token(c, '__proto__=client_credentials&__proto__[grant_type]=x', withAuth(c))),
  oauth('token: constructor and hasOwnProperty as parameter names', (c) => token(c, 'constructor=x&hasOwnProperty=y&toString=z', withAuth(c))),
  oauth('token: __proto__ as grant_type', (c) => token(c, 'grant_type=__proto__', withAuth(c))),
  oauth('token: constructor as grant_type', (c) => token(c, 'grant_type=constructor', withAuth(c))),
  oauth('token: __proto__ as client_id', (c) => token(c, 'grant_type=client_credentials&client_id=__proto__&client_secret=x', FORM)),
  oauth('token: a JSON body with __proto__', (c) => token(c, '{"__proto__":{"grant_type":"client_credentials"}}', withAuth(c, { 'content-type': 'application/json' }))),
  // Methods the endpoint does not allow.
  ...['PUT', 'DELETE', 'PATCH', 'GET'].map((m) => oauth(`token: ${m}`, (c) => token(c, m === 'GET' ? undefined : 'grant_type=client_credentials', withAuth(c), m))),
  oauth('token: a grant_type with a CRLF', (c) => token(c, form([['grant_type', 'client_credentials\r\nX-Injected: 1']]), withAuth(c))),
];

const adminCases: Case[] = [
  // Malformed bodies.
  admin('admin: broken JSON', (c) => adminCall(c, 'POST', '/tenants', '{"slug": "x",')),
  admin('admin: a JSON array at the root', (c) => adminCall(c, 'POST', '/tenants', `[{"slug":"arr-${RUN}","displayName":"x"}]`)),
  admin('admin: a JSON string at the root', (c) => adminCall(c, 'POST', '/tenants', `"arr-${RUN}"`)),
  admin('admin: a JSON number at the root', (c) => adminCall(c, 'POST', '/tenants', '42')),
  admin('admin: JSON null at the root', (c) => adminCall(c, 'POST', '/tenants', 'null')),
  admin('admin: an empty JSON body', (c) => adminCall(c, 'POST', '/tenants', '')),
  admin('admin: a form body to a JSON endpoint', (c) =>
    adminCall(c, 'POST', '/tenants', `slug=form-${RUN}&displayName=Form`, 'application/x-www-form-urlencoded'),
  ),
  admin('admin: a text/plain body', (c) => adminCall(c, 'POST', '/tenants', `{"slug":"text-${RUN}","displayName":"Text"}`, 'text/plain')),
  admin('admin: no content type', (c) => adminCall(c, 'POST', '/tenants', new TextEncoder().encode(`{"slug":"none-${RUN}","displayName":"x"}`), null)),
  admin('admin: JSON in UTF-16', (c) =>
    adminCall(c, 'POST', '/tenants', Buffer.from(`{"slug":"utf16-${RUN}","displayName":"x"}`, 'utf16le'), 'application/json; charset=utf-16'),
  ),
  admin('admin: XML', (c) => adminCall(c, 'POST', '/tenants', `<slug>xml-${RUN}</slug>`, 'application/xml')),
  admin('admin: multipart', (c) => {
    const fd = new FormData();
    fd.set('slug', `multipart-${RUN}`);
    fd.set('displayName', 'x');
    return fetch(`${c.adminBase}/tenants`, { method: 'POST', headers: { authorization: `Bearer ${c.adminToken}` }, body: fd }).then(answer);
  }),
  // 100 KB values.
  ...['slug', 'displayName'].map((f) => admin(`admin: a 100 KB tenant ${f}`, (c) => adminCall(c, 'POST', '/tenants', JSON.stringify({ slug: 'big-one', displayName: 'x', [f]: KB100 })))),
  admin('admin: a 100 KB client name', (c) => adminCall(c, 'POST', `/tenants/${c.slug}/clients`, JSON.stringify({ name: KB100, type: 'confidential', grantTypes: ['client_credentials'] }))),
  admin('admin: a 100 KB redirect URI', (c) =>
    adminCall(c, 'POST', `/tenants/${c.slug}/clients`, JSON.stringify({ name: 'x', type: 'public', grantTypes: ['authorization_code'], redirectUris: [`https://a.example/${KB100}`] })),
  ),
  admin('admin: a 100 KB username', (c) => adminCall(c, 'POST', `/tenants/${c.slug}/users`, JSON.stringify({ username: KB100, password: 'long-enough-password' }))),
  admin('admin: a 100 KB password', (c) => adminCall(c, 'POST', `/tenants/${c.slug}/users`, JSON.stringify({ username: 'big-pass', password: KB100 }))),
  admin('admin: a 100 KB scope name', (c) => adminCall(c, 'POST', `/tenants/${c.slug}/scopes`, JSON.stringify({ name: KB100 }))),
  admin('admin: a 100 KB key', (c) => adminCall(c, 'POST', '/tenants', JSON.stringify({ slug: `bigkey-${RUN}`, displayName: 'x', [KB100]: 1 }))),
  admin('admin: a 100 KB cursor', (c) => adminCall(c, 'GET', `/tenants?cursor=${KB100.slice(0, 6000)}`)),
  // NUL bytes in JSON strings.
  admin('admin: NUL in a tenant displayName', (c) => adminCall(c, 'POST', '/tenants', JSON.stringify({ slug: 'nul-name', displayName: 'a\u0000b' }))),
  admin('admin: NUL in a tenant slug', (c) => adminCall(c, 'POST', '/tenants', JSON.stringify({ slug: 'nul\u0000slug', displayName: 'x' }))),
  admin('admin: NUL in a patched displayName', (c) => adminCall(c, 'PATCH', `/tenants/${c.slug}`, JSON.stringify({ displayName: 'a\u0000b' }))),
  admin('admin: NUL in a logo URL', (c) => adminCall(c, 'PATCH', `/tenants/${c.slug}`, JSON.stringify({ settings: { branding: { logoUrl: 'https://a.example/\u0000.png' } } }))),
  admin('admin: NUL in an audience', (c) => adminCall(c, 'PATCH', `/tenants/${c.slug}`, JSON.stringify({ settings: { audience: 'https://a.example/\u0000' } }))),
  admin('admin: NUL in a client name', (c) => adminCall(c, 'POST', `/tenants/${c.slug}/clients`, JSON.stringify({ name: 'a\u0000b', type: 'confidential', grantTypes: ['client_credentials'] }))),
  admin('admin: NUL in a redirect URI', (c) =>
    adminCall(c, 'POST', `/tenants/${c.slug}/clients`, JSON.stringify({ name: 'x', type: 'public', grantTypes: ['authorization_code'], redirectUris: ['https://a.example/cb\u0000x'] })),
  ),
  admin('admin: NUL in a patched client name', (c) => adminCall(c, 'PATCH', `/tenants/${c.slug}/clients/${c.clientId}`, JSON.stringify({ name: 'a\u0000b' }))),
  admin('admin: NUL in a scope name', (c) => adminCall(c, 'POST', `/tenants/${c.slug}/scopes`, JSON.stringify({ name: 'a\u0000b' }))),
  admin('admin: NUL in a scope description', (c) => adminCall(c, 'POST', `/tenants/${c.slug}/scopes`, JSON.stringify({ name: 'nul:desc', description: 'a\u0000b' }))),
  admin('admin: NUL in a username', (c) => adminCall(c, 'POST', `/tenants/${c.slug}/users`, JSON.stringify({ username: 'a\u0000b', password: 'long-enough-password' }))),
  admin('admin: NUL in a user name', (c) => adminCall(c, 'POST', `/tenants/${c.slug}/users`, JSON.stringify({ username: 'nul-name-user', name: 'a\u0000b', password: 'long-enough-password' }))),
  admin('admin: NUL in an email', (c) => adminCall(c, 'POST', `/tenants/${c.slug}/users`, JSON.stringify({ username: 'nul-email', email: 'a\u0000@b.example', password: 'long-enough-password' }))),
  admin('admin: NUL in a revoke clientId', (c) => adminCall(c, 'POST', `/tenants/${c.slug}/tokens/revoke`, JSON.stringify({ clientId: 'a\u0000b' }))),
  admin('admin: NUL in a revoke jti', (c) => adminCall(c, 'POST', `/tenants/${c.slug}/tokens/revoke`, JSON.stringify({ jti: 'a\u0000b' }))),
  admin('admin: NUL in a JSON key', (c) => adminCall(c, 'POST', '/tenants', JSON.stringify({ slug: 'nul-key', displayName: 'x', 'a\u0000b': 1 }))),
  // NUL bytes in path segments and query parameters.
  admin('admin: %00 in a tenant slug path', (c) => adminCall(c, 'GET', `/tenants/${c.slug}%00`)),
  admin('admin: %00 in a client id path', (c) => adminCall(c, 'GET', `/tenants/${c.slug}/clients/${c.clientId}%00`)),
  admin('admin: %00 in a client id path (PATCH)', (c) => adminCall(c, 'PATCH', `/tenants/${c.slug}/clients/a%00b`, JSON.stringify({ name: 'x' }))),
  admin('admin: %00 in a client id path (secret rotation)', (c) => adminCall(c, 'POST', `/tenants/${c.slug}/clients/a%00b/secret`)),
  admin('admin: %00 in a client id path (DELETE)', (c) => adminCall(c, 'DELETE', `/tenants/${c.slug}/clients/a%00b`)),
  admin('admin: %00 in a user id path', (c) => adminCall(c, 'GET', `/tenants/${c.slug}/users/a%00b`)),
  admin('admin: %00 in a scope name path', (c) => adminCall(c, 'DELETE', `/tenants/${c.slug}/scopes/a%00b`)),
  admin('admin: %00 in limit', (c) => adminCall(c, 'GET', '/tenants?limit=1%00')),
  admin('admin: %00 in cursor', (c) => adminCall(c, 'GET', '/tenants?cursor=a%00b')),
  admin('admin: a NUL inside a decoded cursor', (c) =>
    adminCall(c, 'GET', `/tenants?cursor=${Buffer.from(JSON.stringify([new Date().toISOString(), 'a\u0000b'])).toString('base64url')}`),
  ),
  admin('admin: a cursor naming a non-uuid id', (c) =>
    adminCall(c, 'GET', `/tenants/${c.slug}/clients?cursor=${Buffer.from(JSON.stringify([new Date().toISOString(), "' OR 1=1 --"])).toString('base64url')}`),
  ),
  admin('admin: a cursor naming a date out of range', (c) =>
    adminCall(c, 'GET', `/tenants?cursor=${Buffer.from(JSON.stringify(['+275760-09-13T00:00:00.000Z', '00000000-0000-4000-8000-000000000000'])).toString('base64url')}`),
  ),
  admin('admin: a scope cursor with a NUL', (c) =>
    adminCall(c, 'GET', `/tenants/${c.slug}/scopes?cursor=${Buffer.from(JSON.stringify([new Date().toISOString(), 'a\u0000b'])).toString('base64url')}`),
  ),
  admin('admin: %00 in an audit filter', (c) => adminCall(c, 'GET', `/tenants/${c.slug}/audit-events?action=a%00b`)),
  admin('admin: %00 in an audit actor filter', (c) => adminCall(c, 'GET', `/tenants/${c.slug}/audit-events?actorId=a%00b&targetId=c%00d`)),
  transport('admin: a raw NUL byte in the path', (c) => raw(c, `GET /admin/api/v1/tenants/a\u0000b HTTP/1.1\nHost: x\nAuthorization: Bearer ${c.adminToken}\nConnection: close\n`)),
  // SQL-looking strings in slugs, ids and query parameters.
  ...SQL.flatMap((s) => [
    admin(`admin: ${s} as a tenant slug (create)`, (c) => adminCall(c, 'POST', '/tenants', JSON.stringify({ slug: s, displayName: 'x' }))),
    admin(`admin: ${s} as a tenant slug path`, (c) => adminCall(c, 'GET', `/tenants/${encodeURIComponent(s)}`)),
    admin(`admin: ${s} as a tenant slug path (DELETE)`, (c) => adminCall(c, 'DELETE', `/tenants/${encodeURIComponent(s)}`)),
    admin(`admin: ${s} as a client id path`, (c) => adminCall(c, 'GET', `/tenants/${c.slug}/clients/${encodeURIComponent(s)}`)),
    admin(`admin: ${s} as a user id path`, (c) => adminCall(c, 'GET', `/tenants/${c.slug}/users/${encodeURIComponent(s)}`)),
    admin(`admin: ${s} as a scope path`, (c) => adminCall(c, 'DELETE', `/tenants/${c.slug}/scopes/${encodeURIComponent(s)}`)),
    admin(`admin: ${s} as limit`, (c) => adminCall(c, 'GET', `/tenants?limit=${encodeURIComponent(s)}`)),
    admin(`admin: ${s} as cursor`, (c) => adminCall(c, 'GET', `/tenants/${c.slug}/users?cursor=${encodeURIComponent(s)}`)),
    admin(`admin: ${s} as a scope name`, (c) => adminCall(c, 'POST', `/tenants/${c.slug}/scopes`, JSON.stringify({ name: s }))),
    admin(`admin: ${s} as a revoke userId`, (c) => adminCall(c, 'POST', `/tenants/${c.slug}/tokens/revoke`, JSON.stringify({ userId: s }))),
    admin(`admin: ${s} as a revoke clientId`, (c) => adminCall(c, 'POST', `/tenants/${c.slug}/tokens/revoke`, JSON.stringify({ clientId: s }))),
  ]),
  // Unicode oddities.
  admin('admin: an RTL override in a slug', (c) => adminCall(c, 'POST', '/tenants', JSON.stringify({ slug: 'ab\u202Ecd', displayName: 'x' }))),
  admin('admin: an emoji slug', (c) => adminCall(c, 'POST', '/tenants', JSON.stringify({ slug: '🦄', displayName: 'x' }))),
  admin('admin: a lone surrogate slug in JSON', (c) => adminCall(c, 'POST', '/tenants', '{"slug":"\\ud800","displayName":"x"}')),
  admin('admin: a lone surrogate (%ED%A0%80) in a slug path', (c) => adminCall(c, 'GET', '/tenants/%ED%A0%80')),
  admin('admin: a lone surrogate (%ED%A0%80) in a client id path', (c) => adminCall(c, 'GET', `/tenants/${c.slug}/clients/%ED%A0%80`)),
  admin('admin: broken percent-encoding in a path', (c) => adminCall(c, 'GET', `/tenants/${c.slug}/clients/%E0%A4%A`)),
  admin('admin: a lone surrogate (%ED%A0%80) in a query', (c) => adminCall(c, 'GET', `/tenants/${c.slug}/users?cursor=%ED%A0%80`)),
  admin('admin: an RTL override in a client id path', (c) => adminCall(c, 'GET', `/tenants/${c.slug}/clients/${encodeURIComponent('\u202E' + c.clientId)}`)),
  admin('admin: an emoji scope name', (c) => adminCall(c, 'POST', `/tenants/${c.slug}/scopes`, JSON.stringify({ name: 'read:🦄' }))),
  // Sizes and shapes.
  admin('admin: a body over 1 MB', (c) =>
    raw(
      c,
      `POST /admin/api/v1/tenants HTTP/1.1\nHost: x\nAuthorization: Bearer ${c.adminToken}\nContent-Type: application/json\nContent-Length: ${1024 * 1024 + 100}\n`,
      `{"slug":"huge-${RUN}","displayName":"${'x'.repeat(60_000)}`,
    ),
  ),
  admin('admin: a chunked body over 1 MB', (c) => {
    const chunk = 'x'.repeat(64 * 1024);
    const chunks = Array.from({ length: 17 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
    return raw(
      c,
      `POST /admin/api/v1/tenants HTTP/1.1\nHost: x\nAuthorization: Bearer ${c.adminToken}\nContent-Type: application/json\nTransfer-Encoding: chunked\n`,
      `${chunks}0\r\n\r\n`,
    );
  }),
  admin('admin: a 2000-character client id path', (c) => adminCall(c, 'GET', `/tenants/${c.slug}/clients/${'a'.repeat(2000)}`)),
  admin('admin: a 2000-character path', (c) => adminCall(c, 'GET', `/${'a/'.repeat(1000)}`)),
  transport('admin: a 100 KB URL path', (c) => raw(c, `GET /admin/api/v1/tenants/${'a'.repeat(100 * 1024)} HTTP/1.1\nHost: x\nConnection: close\n`)),
  admin('admin: 10k levels of nested JSON objects', (c) => adminCall(c, 'POST', '/tenants', nested(10_000))),
  admin('admin: 10k levels of nested JSON arrays', (c) => adminCall(c, 'POST', '/tenants', '['.repeat(10_000) + ']'.repeat(10_000))),
  admin('admin: 10k levels of nested JSON in a field', (c) => adminCall(c, 'POST', '/tenants', `{"slug":"deep-${RUN}","displayName":${nested(10_000)}}`)),
  admin('admin: 100k levels of nested JSON', (c) => adminCall(c, 'POST', '/tenants', '['.repeat(100_000) + ']'.repeat(100_000))),
  admin('admin: a number where a string belongs', (c) => adminCall(c, 'POST', '/tenants', '{"slug":1e999,"displayName":true}')),
  admin('admin: a duplicate JSON key', (c) => adminCall(c, 'POST', '/tenants', `{"slug":"dupkey-${RUN}","slug":"Bad Slug","displayName":"x"}`)),
  // Prototype pollution.
  admin('admin: __proto__ in a tenant body', (c) => adminCall(c, 'POST', '/tenants', `{"slug":"proto1-${RUN}","displayName":"x","__proto__":{"isAdmin":true}}`)),
  admin('admin: constructor.prototype in a tenant body', (c) => adminCall(c, 'POST', '/tenants', `{"slug":"proto2-${RUN}","displayName":"x","constructor":{"prototype":{"isAdmin":true}}}`)),
  admin('admin: __proto__ in tenant settings', (c) => adminCall(c, 'PATCH', `/tenants/${c.slug}`, '{"settings":{"__proto__":{"passwordGrantEnabled":true}}}')),
  admin('admin: __proto__ in a client body', (c) => adminCall(c, 'POST', `/tenants/${c.slug}/clients`, '{"name":"x","type":"confidential","grantTypes":["client_credentials"],"__proto__":{"builtIn":true}}')),
  admin('admin: __proto__ as a slug path', (c) => adminCall(c, 'GET', '/tenants/__proto__')),
  admin('admin: constructor as a client id path', (c) => adminCall(c, 'GET', `/tenants/${c.slug}/clients/constructor`)),
  // Methods not allowed, and no token with a hostile body.
  admin('admin: PUT on the tenants list', (c) => adminCall(c, 'PUT', '/tenants', '{}')),
  admin('admin: DELETE on the tenants list', (c) => adminCall(c, 'DELETE', '/tenants')),
  admin('admin: no token and broken JSON', (c) =>
    fetch(`${c.adminBase}/tenants`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{{{' }).then(answer),
  ),
  admin('admin: a 10 KB bearer token', (c) => fetch(`${c.adminBase}/tenants`, { headers: { authorization: `Bearer ${'a'.repeat(10_000)}` } }).then(answer)),
  admin('admin: a bearer token with a NUL (%00) and SQL', (c) =>
    fetch(`${c.adminBase}/tenants`, { headers: { authorization: `Bearer %00' OR 1=1 --` } }).then(answer),
  ),
];

const STACK_TRACE = [/\n\s+at /, /\bat [\w.<>]+ \(/, /\.(?:ts|js|mjs|cjs):\d+/, /node_modules/, /file:\/\//];
const INTERNAL_SQL = [/QueryFailedError/i, /syntax error at or near/i, /invalid input syntax/i, /violates .* constraint/i, /duplicate key value/i, /\brelation "/i, /SQLSTATE/i, /typeorm/i, /\bSELECT\b.*\bFROM\b/i, /\bINSERT INTO\b/i];

async function inBatches<T, R>(items: readonly T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await run(items[i]!);
      }
    }),
  );
  return results;
}

describe('hostile input to the token endpoint and the admin API', () => {
  const ctx = {} as Ctx;
  const cases = [...tokenCases, ...adminCases];
  const answers = new Map<string, Answer | Error>();

  beforeAll(async () => {
    ctx.server = await startTessera();
    const api = new AdminApi(ctx.server);
    const tenant = await api.createTenant('hostile');
    ctx.slug = tenant.slug;
    await api.request('POST', `/tenants/${tenant.slug}/scopes`, { name: 'orders:read' });
    const client = await api.createClient(tenant.slug, { scopes: ['orders:read'] });
    ctx.client = { id: client.clientId, secret: client.clientSecret };
    ctx.clientId = client.clientId;
    ctx.tokenUrl = (await discover(tenant.issuer)).token_endpoint;
    ctx.adminToken = await api.accessToken();
    ctx.adminBase = `${ctx.server.baseUrl}/admin/api/v1`;

    const results = await inBatches(cases, 8, (c) => c.send(ctx).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
    cases.forEach((c, i) => answers.set(c.name, results[i]!));
  }, 120_000);

  afterAll(async () => {
    await ctx.server?.stop();
  });

  it('has unique case names', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))('answers %s with a clean 4xx', (_name, c) => {
    const res = answers.get(c.name)!;
    if (res instanceof Error) throw res;
    const summary = { status: res.status, contentType: res.contentType, body: res.text.slice(0, 300) };
    expect(summary).toMatchObject({ status: expect.any(Number) });
    expect(res.status >= 400 && res.status < 500 ? 'a 4xx' : summary).toBe('a 4xx');
    for (const pattern of [...STACK_TRACE, ...INTERNAL_SQL]) expect(res.text).not.toMatch(pattern);

    if (c.kind === 'oauth') {
      expect(res.contentType).toMatch(/^application\/json/);
      expect(res.cacheControl).toBe('no-store');
      const body = JSON.parse(res.text) as Record<string, unknown>;
      expect(RFC6749_ERRORS).toContain(body['error']);
      expect(typeof body['error_description']).toBe('string');
      expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
    } else if (c.kind === 'admin') {
      expect(res.contentType).toMatch(/^application\/problem\+json/);
      const body = JSON.parse(res.text) as Record<string, unknown>;
      expect(body['status']).toBe(res.status);
      expect(typeof body['title']).toBe('string');
      expect(typeof body['detail']).toBe('string');
    }
  });

  it('creates nothing from hostile admin requests', async () => {
    const api = new AdminApi(ctx.server);
    const made = ['arr', 'form', 'text', 'none', 'utf16', 'xml', 'multipart', 'proto1', 'proto2', 'huge', 'deep', 'dupkey', 'bigkey'];
    for (const slug of made.map((name) => `${name}-${RUN}`)) {
      expect({ slug, status: (await api.request('GET', `/tenants/${slug}`)).status }).toEqual({ slug, status: 404 });
    }
    const tenant = await api.request<{ settings: { passwordGrantEnabled: boolean } }>('GET', `/tenants/${ctx.slug}`);
    expect(tenant.body.settings.passwordGrantEnabled).toBe(false);
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });

  it('keeps SQL-looking and unicode strings as plain data', async () => {
    const api = new AdminApi(ctx.server);
    const names = [...SQL, 'Ab\u202Ecd', '🦄 Unicorn', 'Zoë'];
    for (const username of names) {
      const created = await api.request<{ id: string; username: string }>('POST', `/tenants/${ctx.slug}/users`, { username, password: 'long-enough-password' });
      expect({ username, status: created.status }).toEqual({ username, status: 201 });
      const read = await api.request<{ username: string }>('GET', `/tenants/${ctx.slug}/users/${created.body.id}`);
      expect(read.body.username).toBe(username);
    }
    const audit = await api.request('GET', `/tenants/${ctx.slug}/audit-events?action=${encodeURIComponent(SQL[0]!)}`);
    expect(audit.status).toBe(200);
    expect(audit.body).toEqual({ items: [], next: null });
    // Prototype keys in a query string are ignored, not merged into the query (limit stays 50).
    const polluted = await api.request<{ items: unknown[] }>('GET', '/tenants?__proto__[limit]=1&constructor[prototype][limit]=1&__proto__=x');
    expect(polluted.status).toBe(200);
    expect(polluted.body.items.length).toBeGreaterThan(1);
    const renamed = await api.request<{ displayName: string }>('PATCH', `/tenants/${ctx.slug}`, { displayName: `${SQL[1]} \u202E🦄` });
    expect(renamed.status).toBe(200);
    expect(renamed.body.displayName).toBe(`${SQL[1]} \u202E🦄`);
  });

  it('is still healthy afterwards: /healthz, a normal client_credentials request and the tenants table', async () => {
    expect((await fetch(`${ctx.server.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${ctx.server.baseUrl}/readyz`)).status).toBe(200);
    const issued = await clientCredentials(ctx.server.issuer(ctx.slug), ctx.client, { scope: 'orders:read' });
    expect(issued.status).toBe(200);
    expect(issued.body.access_token).toEqual(expect.any(String));
    const api = new AdminApi(ctx.server);
    const tenants = await api.request<{ items: { slug: string }[] }>('GET', '/tenants?limit=200');
    expect(tenants.status).toBe(200);
    expect(tenants.body.items.length).toBeGreaterThan(0);
    expect((await api.request('GET', `/tenants/${ctx.slug}`)).status).toBe(200);
    expect(ctx.server.child.exitCode).toBeNull();
  });
});
