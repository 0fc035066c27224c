// The ceiling: a node:http token endpoint that does only what a client_credentials request must do:
// read the form body, authenticate the client (HMAC-SHA-256 of the secret, constant-time compare)
// and sign an ES256 JWT with node:crypto and an imported KeyObject. Same claims as Tessera's tokens.
// Env: PORT, CLIENT_ID, CLIENT_SECRET. Prints one JSON line {"ready":true,"port":N} when listening.
import { createHmac, generateKeyPairSync, randomBytes, sign, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { URLSearchParams } from 'node:url';

const port = Number(process.env.PORT ?? 0);
const clientId = process.env.CLIENT_ID ?? 'bench';
const secretKey = randomBytes(32);
const storedHash = createHmac('sha256', secretKey).update(process.env.CLIENT_SECRET ?? 'secret', 'utf8').digest();
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const kid = randomBytes(12).toString('base64url');
const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid })).toString('base64url');
let issuer = '';

function fail(res, status, error) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error }));
}

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

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/token') return fail(res, 404, 'not_found');
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    if (params.get('grant_type') !== 'client_credentials') return fail(res, 400, 'unsupported_grant_type');
    if (!authenticate(req.headers.authorization)) return fail(res, 401, 'invalid_client');
    const scope = params.get('scope') ?? 'api:read';
    const iat = Math.floor(Date.now() / 1000);
    const payload = {
      iss: issuer,
      sub: clientId,
      aud: `${issuer}/api`,
      client_id: clientId,
      scope,
      jti: randomBytes(16).toString('base64url'),
      iat,
      exp: iat + 3600,
    };
    const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    const body = JSON.stringify({ access_token: `${input}.${signature}`, token_type: 'Bearer', expires_in: 3600, scope });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache' });
    res.end(body);
  });
});

server.keepAliveTimeout = 72_000;
server.listen(port, '127.0.0.1', () => {
  const actual = server.address().port;
  issuer = `http://127.0.0.1:${actual}`;
  process.stdout.write(`${JSON.stringify({ ready: true, port: actual })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
