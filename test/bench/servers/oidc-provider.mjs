// node-oidc-provider configured for the same job as Tessera's token endpoint: one confidential client
// (client_secret_basic), client_credentials, ES256 JWT access tokens through the resource indicators
// feature, introspection and revocation on, in-memory storage (its default adapter). A second
// resource server issues opaque tokens: node-oidc-provider does not store JWT access tokens, so its
// introspection and revocation scenarios use opaque ones (as the issue says).
// Env: PORT, CLIENT_ID, CLIENT_SECRET. Prints one JSON line {"ready":true,"port":N} when listening.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';

const port = Number(process.env.PORT);
const clientId = process.env.CLIENT_ID ?? 'bench';
const clientSecret = process.env.CLIENT_SECRET ?? 'secret';
const issuer = `http://127.0.0.1:${port}`;
export const JWT_RESOURCE = `${issuer}/api`;
export const OPAQUE_RESOURCE = 'urn:bench:opaque';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(12).toString('base64url'), alg: 'ES256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
      scope: 'api:read',
    },
  ],
  jwks: { keys: [jwk] },
  scopes: ['api:read'],
  cookies: { keys: [randomBytes(32).toString('base64url')] },
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

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
});
server.keepAliveTimeout = 72_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
