// The ceilings: a node:http server that does only the work each request cannot avoid, with the same
// answers as Tessera.
// - POST /token (client_credentials): read the form body, authenticate the client (HMAC-SHA-256 of
//   the secret, constant-time compare) and sign an ES256 JWT with node:crypto and an imported
//   KeyObject. Same claims as Tessera's tokens.
// - POST /introspect: authenticate the client, verify the ES256 JWT (signature, typ, issuer, expiry;
//   a token verified before is remembered while it lives, as Tessera does), then read the revocation
//   state Tessera reads, in one Redis MGET of the same keys (TokenStatusService.isRevoked: the
//   client's and the subject's revoked-before markers, the store's data-loss marker, the jti).
// - POST /revoke: authenticate, verify, then record the revocation durably (one INSERT in
//   PostgreSQL, autocommit) and for the fast path (one SET with the token's remaining lifetime).
// Env: PORT, CLIENT_ID, CLIENT_SECRET; REDIS_URL and DATABASE_URL enable /introspect and /revoke.
// Prints one JSON line {"ready":true,"port":N} when listening.
import { createHmac, generateKeyPairSync, randomBytes, randomUUID, sign, timingSafeEqual, verify } from 'node:crypto';
import { createServer } from 'node:http';
import { URLSearchParams } from 'node:url';
import pg from 'pg';
import { createClient } from 'redis';

const port = Number(process.env.PORT ?? 0);
const clientId = process.env.CLIENT_ID ?? 'bench';
const secretKey = randomBytes(32);
const storedHash = createHmac('sha256', secretKey).update(process.env.CLIENT_SECRET ?? 'secret', 'utf8').digest();
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const kid = randomUUID();
const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid })).toString('base64url');
// Stands for Tessera's tenant id in the store keys.
const TENANT = '00000000-0000-4000-8000-000000000000';
const VERIFIED_CACHE_SIZE = 10_000;
let issuer = '';

const redis = process.env.REDIS_URL ? createClient({ url: process.env.REDIS_URL }) : null;
const db = process.env.DATABASE_URL ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 }) : null;
redis?.on('error', (error) => process.stderr.write(`redis: ${error.message}\n`));
db?.on('error', (error) => process.stderr.write(`postgres: ${error.message}\n`));

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache' });
  res.end(body);
}

const fail = (res, status, error) => send(res, status, JSON.stringify({ error }));

function authenticate(authorization) {
  if (!authorization || !authorization.startsWith('Basic ')) return false;
  const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const id = decodeURIComponent(decoded.slice(0, colon));
  const secret = decodeURIComponent(decoded.slice(colon + 1));
  const computed = createHmac('sha256', secretKey).update(secret, 'utf8').digest();
  return timingSafeEqual(computed, storedHash) && id === clientId;
}

function issue(scope) {
  const iat = Math.floor(Date.now() / 1000);
  const payload = { iss: issuer, sub: clientId, aud: `${issuer}/api`, client_id: clientId, scope, jti: randomUUID(), iat, exp: iat + 3600 };
  const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  return JSON.stringify({ access_token: `${input}.${signature}`, token_type: 'Bearer', expires_in: 3600, scope });
}

const verified = new Map();

/** The claims of a valid, unexpired token of ours, or null. */
function verifyToken(token) {
  const now = Date.now() / 1000;
  const known = verified.get(token);
  if (known) {
    if (known.exp > now) return known;
    verified.delete(token);
  }
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  let head;
  let claims;
  try {
    head = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (head.alg !== 'ES256' || head.kid !== kid || head.typ !== 'at+jwt') return null;
  const ok = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2], 'base64url'));
  if (!ok || claims.iss !== issuer || !(claims.exp > now)) return null;
  if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value);
  verified.set(token, claims);
  return claims;
}

/** The keys TokenStatusService.isRevoked reads, in its order (values first, then revocations). */
function revocationKeys(claims) {
  const keys = [`kv:revoked-before:${TENANT}:client:${claims.client_id}`, `kv:revoked-before:${TENANT}:sub:${claims.sub}`, 'kv:store:data-lost-at'];
  if (claims.sub !== claims.client_id) keys.push(`kv:revoked-before:${TENANT}:client-sub:${claims.client_id}:${claims.sub}`);
  keys.push(`rev:${TENANT}:jti:${claims.jti}`);
  return keys;
}

async function introspect(params, res) {
  const claims = verifyToken(params.get('token') ?? '');
  if (!claims) return send(res, 200, '{"active":false}');
  const replies = await redis.mGet(revocationKeys(claims));
  const markers = replies.slice(0, -1);
  const revoked = replies.at(-1) !== null || markers.some((m) => m !== null && claims.iat <= Number(m));
  if (revoked) return send(res, 200, '{"active":false}');
  const { iss, sub, aud, client_id, scope, jti, iat, exp } = claims;
  send(res, 200, JSON.stringify({ active: true, token_type: 'Bearer', iss, sub, aud, client_id, scope, jti, iat, exp }));
}

async function revoke(params, res) {
  const claims = verifyToken(params.get('token') ?? '');
  // RFC 7009 section 2.2: an invalid token is answered 200 as well.
  if (claims) {
    const ttlMs = claims.exp * 1000 - Date.now();
    if (ttlMs > 0) {
      await db.query('INSERT INTO minimal_revocations (jti, expires_at) VALUES ($1, to_timestamp($2)) ON CONFLICT DO NOTHING', [claims.jti, claims.exp]);
      await redis.set(`rev:${TENANT}:jti:${claims.jti}`, '1', { expiration: { type: 'PX', value: Math.ceil(ttlMs) } });
    }
  }
  send(res, 200, '');
}

const routes = {
  '/token': (params, res) => {
    if (params.get('grant_type') !== 'client_credentials') return fail(res, 400, 'unsupported_grant_type');
    send(res, 200, issue(params.get('scope') ?? 'api:read'));
  },
  ...(redis && db && { '/introspect': introspect, '/revoke': revoke }),
};

const server = createServer((req, res) => {
  const route = req.method === 'POST' ? routes[req.url] : undefined;
  if (!route) return fail(res, 404, 'not_found');
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (!authenticate(req.headers.authorization)) return fail(res, 401, 'invalid_client');
    Promise.resolve(route(new URLSearchParams(Buffer.concat(chunks).toString('utf8')), res)).catch((error) => {
      process.stderr.write(`${error.stack}\n`);
      if (!res.headersSent) fail(res, 503, 'temporarily_unavailable');
    });
  });
});

if (redis) await redis.connect();
if (db) await db.query('CREATE TABLE IF NOT EXISTS minimal_revocations (jti text PRIMARY KEY, expires_at timestamptz NOT NULL)');
server.keepAliveTimeout = 72_000;
server.listen(port, '127.0.0.1', () => {
  const actual = server.address().port;
  issuer = `http://127.0.0.1:${actual}`;
  process.stdout.write(`${JSON.stringify({ ready: true, port: actual })}\n`);
});
process.on('SIGTERM', () =>
  server.close(async () => {
    await redis?.quit().catch(() => undefined);
    await db?.end().catch(() => undefined);
    process.exit(0);
  }),
);
