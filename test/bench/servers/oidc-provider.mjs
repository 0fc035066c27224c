// node-oidc-provider configured for the same jobs as Tessera, with its default in-memory storage:
// - client_credentials: one confidential client (client_secret_basic), ES256 JWT access tokens
//   through the resource indicators feature (the default resource). A second resource server issues
//   opaque tokens: node-oidc-provider does not store JWT access tokens, so its introspection and
//   revocation scenarios use opaque ones.
// - the authorization code flow with PKCE: a confidential web client, ID tokens signed RS256 (as
//   Tessera's clients get by default) and ES256 JWT access tokens; a client with refresh tokens
//   (scope offline_access, rotated on every use as Tessera does).
// - sign-in and consent: node-oidc-provider leaves these pages to the application, so this file has
//   the smallest honest ones: a login form whose password is checked with argon2id at Tessera's
//   parameters, and a consent form. A consent is remembered per user and client (loadExistingGrant),
//   as Tessera remembers it, so a second sign-in skips the consent page.
// Env: PORT, CLIENT_ID, CLIENT_SECRET, WEB_ID, WEB_SECRET, REFRESH_ID, REFRESH_SECRET, REDIRECT_URI,
// USER_NAME, USER_PASSWORD. Prints one JSON line {"ready":true,"port":N} when listening.
import { hash, verify } from '@node-rs/argon2';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { URLSearchParams } from 'node:url';
import Provider, { errors } from 'oidc-provider';
import { ARGON2_OPTIONS } from './argon2-options.mjs';

const env = process.env;
const port = Number(env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const JWT_RESOURCE = `${issuer}/api`;
const OPAQUE_RESOURCE = 'urn:bench:opaque';
const ACCOUNT_ID = '5f1c2a9e-4b0d-4a57-9d0e-6c3b2f1a7e21';
const username = env.USER_NAME ?? 'ada';
const storedPassword = await hash(env.USER_PASSWORD ?? 'password', ARGON2_OPTIONS);

const es256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const rs256 = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const jwk = (key, alg) => ({ ...key.export({ format: 'jwk' }), kid: randomBytes(12).toString('base64url'), alg, use: 'sig' });

/** Consents given, per account and client: what Tessera's consent records are. */
const rememberedGrants = new Map();

const confidential = { token_endpoint_auth_method: 'client_secret_basic', redirect_uris: [env.REDIRECT_URI ?? 'https://app.example/callback'] };
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: env.CLIENT_ID ?? 'bench',
      client_secret: env.CLIENT_SECRET ?? 'secret',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
      scope: 'api:read',
    },
    {
      ...confidential,
      client_id: env.WEB_ID ?? 'web',
      client_secret: env.WEB_SECRET ?? 'secret',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
      scope: 'openid profile api:read',
    },
    {
      ...confidential,
      client_id: env.REFRESH_ID ?? 'refresh',
      client_secret: env.REFRESH_SECRET ?? 'secret',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
      scope: 'offline_access api:read',
    },
  ],
  jwks: { keys: [jwk(es256, 'ES256'), jwk(rs256, 'RS256')] },
  scopes: ['openid', 'profile', 'offline_access', 'api:read'],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  findAccount: async (_ctx, id) =>
    id === ACCOUNT_ID ? { accountId: id, claims: async () => ({ sub: id, name: 'Ada', preferred_username: username }) } : undefined,
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  loadExistingGrant: async (ctx) => {
    const id =
      ctx.oidc.result?.consent?.grantId ||
      ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId) ||
      rememberedGrants.get(`${ctx.oidc.session.accountId}:${ctx.oidc.client.clientId}`);
    return id ? ctx.oidc.provider.Grant.find(id) : undefined;
  },
  // Tessera rotates a refresh token on every use.
  rotateRefreshToken: true,
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (_ctx, _client, oneOf) => oneOf ?? JWT_RESOURCE,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (_ctx, resource) => {
        if (resource === JWT_RESOURCE) {
          return { scope: 'api:read', audience: JWT_RESOURCE, accessTokenTTL: 3600, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } };
        }
        if (resource === OPAQUE_RESOURCE) {
          return { scope: 'api:read', audience: OPAQUE_RESOURCE, accessTokenTTL: 3600, accessTokenFormat: 'opaque' };
        }
        throw new errors.InvalidTarget();
      },
    },
  },
});

const page = (title, form) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${form}</body></html>`;

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function html(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

/** The sign-in and consent pages of an interaction: /interaction/:uid, /interaction/:uid/{login,confirm}. */
async function interaction(req, res) {
  const [, , uid, action] = req.url.split('?')[0].split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return html(res, 400, page('Bad request', ''));
  const { prompt, params, session, grantId } = details;
  if (req.method === 'GET' && !action) {
    if (prompt.name === 'login') {
      return html(
        res,
        200,
        page(
          'Sign in',
          `<form method="post" action="/interaction/${uid}/login"><input name="username" autocomplete="username"><input type="password" name="password"><button>Sign in</button></form>`,
        ),
      );
    }
    return html(
      res,
      200,
      page(
        'Allow access',
        `<p>${params.client_id} asks for ${params.scope}</p><form method="post" action="/interaction/${uid}/confirm"><button name="decision" value="allow">Allow</button><button name="decision" value="deny">Deny</button></form>`,
      ),
    );
  }
  if (req.method === 'POST' && action === 'login' && prompt.name === 'login') {
    const form = await readForm(req);
    const ok = form.get('username') === username && (await verify(storedPassword, form.get('password') ?? ''));
    if (!ok) return html(res, 401, page('Sign in failed', ''));
    return provider.interactionFinished(req, res, { login: { accountId: ACCOUNT_ID } }, { mergeWithLastSubmission: false });
  }
  if (req.method === 'POST' && action === 'confirm' && prompt.name === 'consent') {
    const form = await readForm(req);
    if (form.get('decision') !== 'allow') {
      return provider.interactionFinished(req, res, { error: 'access_denied' }, { mergeWithLastSubmission: false });
    }
    const grant = grantId ? await provider.Grant.find(grantId) : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    for (const [indicator, scope] of Object.entries(prompt.details.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scope.join(' '));
    const id = await grant.save();
    rememberedGrants.set(`${session.accountId}:${params.client_id}`, id);
    return provider.interactionFinished(req, res, { consent: { grantId: id } }, { mergeWithLastSubmission: true });
  }
  return html(res, 400, page('Bad request', ''));
}

const callback = provider.callback();
const server = createServer((req, res) => {
  if (!req.url.startsWith('/interaction/')) return callback(req, res);
  interaction(req, res).catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    if (!res.headersSent) html(res, 400, page('Error', ''));
  });
});
server.keepAliveTimeout = 72_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
