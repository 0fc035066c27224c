import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { AdminApi, basic, clientCredentials, discover, postForm } from './support/oauth-client.js';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

describe('client_credentials, introspection and revocation (RFC 6749 4.4, 9068, 7662, 7009)', () => {
  let server: TesseraProcess;
  let admin: AdminApi;
  let tenant: { slug: string; issuer: string };
  let client: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    server = await startTessera();
    admin = new AdminApi(server);
    tenant = await admin.createTenant('cc');
    const scope = await admin.request('POST', `/tenants/${tenant.slug}/scopes`, { name: 'orders:read', description: 'Read orders' });
    expect(scope.status).toBe(201);
    await admin.request('POST', `/tenants/${tenant.slug}/scopes`, { name: 'orders:write' });
    client = await admin.createClient(tenant.slug, { name: 'Orders service', scopes: ['orders:read', 'orders:write'] });
  });

  afterAll(async () => {
    await server?.stop();
  });

  const creds = () => ({ id: client.clientId, secret: client.clientSecret });

  it('creates a tenant whose issuer is PUBLIC_URL/t/slug and whose metadata is served at both addresses', async () => {
    expect(tenant.issuer).toBe(`${server.baseUrl}/t/${tenant.slug}`);
    const oidc = await discover(tenant.issuer);
    const rfc8414 = await (await fetch(`${server.baseUrl}/.well-known/oauth-authorization-server/t/${tenant.slug}`)).json();
    expect(rfc8414).toEqual(oidc);
    expect(oidc.issuer).toBe(tenant.issuer);
    expect(oidc.grant_types_supported).toContain('client_credentials');
  });

  it('lists exactly the endpoints and features it supports, stating those whose absence no default implies (OIDC Discovery 3)', async () => {
    const meta = await discover(tenant.issuer);
    const endpoint = (name: string) => `${tenant.issuer}/oauth2/${name}`;
    expect(meta).toMatchObject({
      authorization_endpoint: endpoint('authorize'),
      token_endpoint: endpoint('token'),
      introspection_endpoint: endpoint('introspect'),
      revocation_endpoint: endpoint('revoke'),
      userinfo_endpoint: endpoint('userinfo'),
      jwks_uri: endpoint('jwks'),
      code_challenge_methods_supported: ['S256'],
      // Discovery 1.0 defaults request_uri_parameter_supported to true: an OP without it must say false.
      request_uri_parameter_supported: false,
    });
    for (const absent of ['registration_endpoint', 'device_authorization_endpoint', 'pushed_authorization_request_endpoint']) {
      expect(meta).not.toHaveProperty(absent);
    }
    expect(meta['request_parameter_supported'] ?? false).toBe(false);
    expect(meta['claims_parameter_supported'] ?? false).toBe(false);
    expect(meta['grant_types_supported']).not.toContain('urn:ietf:params:oauth:grant-type:device_code');
    expect(meta['token_endpoint_auth_methods_supported']).not.toContain('private_key_jwt');
  });

  it('returns a confidential client secret of at least 256 bits, once', async () => {
    expect(Buffer.from(client.clientSecret, 'base64url').length).toBeGreaterThanOrEqual(32);
    const read = await admin.request('GET', `/tenants/${tenant.slug}/clients/${client.clientId}`);
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).not.toContain(client.clientSecret);
    expect(read.body).not.toHaveProperty('clientSecret');
  });

  it.each(['basic', 'post'] as const)('issues an RFC 9068 JWT that verifies with the JWKS (client_secret_%s)', async (method) => {
    const res = await clientCredentials(tenant.issuer, creds(), { method, scope: 'orders:read' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'orders:read' });
    const { jwks_uri } = await discover(tenant.issuer);
    const { payload, protectedHeader } = await jwtVerify(res.body.access_token, createRemoteJWKSet(new URL(jwks_uri)), {
      issuer: tenant.issuer,
      audience: `${tenant.issuer}/api`,
      typ: 'at+jwt',
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: client.clientId, client_id: client.clientId, scope: 'orders:read' });
    for (const claim of ['iss', 'sub', 'aud', 'client_id', 'scope', 'jti', 'iat', 'exp']) expect(payload).toHaveProperty(claim);
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('grants every allowed scope when none is asked, and refuses one the client may not have', async () => {
    const all = await clientCredentials(tenant.issuer, creds());
    expect(all.body.scope?.split(' ').sort()).toEqual(['orders:read', 'orders:write']);
    const refused = await clientCredentials(tenant.issuer, creds(), { scope: 'orders:read billing:admin' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_scope');
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 401 invalid_client with a Basic challenge for a wrong secret', async () => {
    const res = await clientCredentials(tenant.issuer, { id: client.clientId, secret: 'wrong' });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    const post = await clientCredentials(tenant.issuer, { id: client.clientId, secret: 'wrong' }, { method: 'post' });
    expect(post.status).toBe(401);
    expect(post.body.error).toBe('invalid_client');
  });

  it('refuses credentials sent by two methods at once', async () => {
    const { token_endpoint } = await discover(tenant.issuer);
    const res = await postForm(
      token_endpoint,
      { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret },
      { authorization: basic(client.clientId, client.clientSecret) },
    );
    expect(res.status).toBe(400);
    expect(res.body['error']).toBe('invalid_request');
  });

  it('answers unsupported_grant_type for an unknown grant', async () => {
    const { token_endpoint } = await discover(tenant.issuer);
    const res = await postForm(token_endpoint, { grant_type: 'urn:example:magic' }, { authorization: basic(client.clientId, client.clientSecret) });
    expect(res.status).toBe(400);
    expect(res.body['error']).toBe('unsupported_grant_type');
  });

  it('answers unauthorized_client for a client without the grant', async () => {
    const other = await admin.createClient(tenant.slug, {
      grantTypes: ['authorization_code'],
      redirectUris: ['https://app.example/callback'],
    });
    const res = await clientCredentials(tenant.issuer, { id: other.clientId, secret: other.clientSecret });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unauthorized_client');
  });

  it('keeps tenants apart: a client of A at B is invalid_client and a token of A is inactive at B', async () => {
    const other = await admin.createTenant('iso');
    const res = await clientCredentials(other.issuer, creds());
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');

    const token = (await clientCredentials(tenant.issuer, creds())).body.access_token;
    const bClient = await admin.createClient(other.slug);
    const { introspection_endpoint } = await discover(other.issuer);
    const introspected = await postForm(introspection_endpoint, { token }, { authorization: basic(bClient.clientId, bClient.clientSecret) });
    expect(introspected.status).toBe(200);
    expect(introspected.body).toEqual({ active: false });
  });

  it('introspects a live token as active, and as inactive once revoked', async () => {
    const token = (await clientCredentials(tenant.issuer, creds(), { scope: 'orders:read' })).body.access_token;
    const { introspection_endpoint, revocation_endpoint } = await discover(tenant.issuer);
    const auth = { authorization: basic(client.clientId, client.clientSecret) };

    const before = await postForm(introspection_endpoint, { token, token_type_hint: 'access_token' }, auth);
    expect(before.status).toBe(200);
    expect(before.headers.get('cache-control')).toBe('no-store');
    expect(before.body).toMatchObject({ active: true, client_id: client.clientId, scope: 'orders:read', sub: client.clientId, iss: tenant.issuer });

    const revoked = await postForm(revocation_endpoint, { token }, auth);
    expect(revoked.status).toBe(200);

    const after = await postForm(introspection_endpoint, { token }, auth);
    expect(after.body).toEqual({ active: false });
  });

  it('requires client authentication at introspection and revocation', async () => {
    const token = (await clientCredentials(tenant.issuer, creds())).body.access_token;
    const { introspection_endpoint, revocation_endpoint } = await discover(tenant.issuer);
    for (const url of [introspection_endpoint, revocation_endpoint]) {
      const res = await postForm(url, { token });
      expect(res.status).toBe(401);
      expect(res.body['error']).toBe('invalid_client');
    }
  });

  it('answers 200 when revoking garbage (RFC 7009 section 2.2) and an inactive answer when introspecting it', async () => {
    const { introspection_endpoint, revocation_endpoint } = await discover(tenant.issuer);
    const auth = { authorization: basic(client.clientId, client.clientSecret) };
    expect((await postForm(revocation_endpoint, { token: 'not-a-token' }, auth)).status).toBe(200);
    expect((await postForm(introspection_endpoint, { token: 'a.b.c' }, auth)).body).toEqual({ active: false });
  });

  it('makes the old secret fail after rotation and the new one work', async () => {
    const own = await admin.createClient(tenant.slug);
    const rotated = await admin.request<{ clientSecret: string }>('POST', `/tenants/${tenant.slug}/clients/${own.clientId}/secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.clientSecret).not.toBe(own.clientSecret);
    expect((await clientCredentials(tenant.issuer, { id: own.clientId, secret: own.clientSecret })).status).toBe(401);
    expect((await clientCredentials(tenant.issuer, { id: own.clientId, secret: rotated.body.clientSecret })).status).toBe(200);
  });

  it('keeps tokens of the old key verifiable through the JWKS after key rotation, and signs with the new key', async () => {
    const old = (await clientCredentials(tenant.issuer, creds())).body.access_token;
    const oldKid = decodeProtectedHeader(old).kid;
    const rotated = await admin.request<{ kid: string; status: string }>('POST', `/tenants/${tenant.slug}/keys/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.status).toBe('active');
    expect(rotated.body.kid).not.toBe(oldKid);

    const fresh = (await clientCredentials(tenant.issuer, creds())).body.access_token;
    expect(decodeProtectedHeader(fresh).kid).toBe(rotated.body.kid);

    const { jwks_uri, introspection_endpoint } = await discover(tenant.issuer);
    const jwks = (await (await fetch(jwks_uri)).json()) as { keys: { kid: string; alg: string; d?: string }[] };
    // The ES256 keys sign access tokens; the RS256 keys (rotated too) sign ID tokens.
    expect(jwks.keys.filter((k) => k.alg === 'ES256').map((k) => k.kid).sort()).toEqual([oldKid, rotated.body.kid].sort());
    expect(jwks.keys.filter((k) => k.alg === 'RS256')).toHaveLength(2);
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    const keySet = createRemoteJWKSet(new URL(jwks_uri));
    await expect(jwtVerify(old, keySet, { issuer: tenant.issuer })).resolves.toBeDefined();
    await expect(jwtVerify(fresh, keySet, { issuer: tenant.issuer })).resolves.toBeDefined();
    const introspected = await postForm(introspection_endpoint, { token: old }, { authorization: basic(client.clientId, client.clientSecret) });
    expect(introspected.body['active']).toBe(true);

    const keys = await admin.request<{ items: { kid: string; status: string; publishedUntil: string | null }[] }>(
      'GET',
      `/tenants/${tenant.slug}/keys`,
    );
    const retired = keys.body.items.find((k) => k.kid === oldKid)!;
    expect(retired.status).toBe('retired');
    expect(Date.parse(retired.publishedUntil!)).toBeGreaterThan(Date.now() + 3600_000);
  });

  it('ends the tokens of a deleted client', async () => {
    const doomed = await admin.createClient(tenant.slug);
    const token = (await clientCredentials(tenant.issuer, { id: doomed.clientId, secret: doomed.clientSecret })).body.access_token;
    expect((await admin.request('DELETE', `/tenants/${tenant.slug}/clients/${doomed.clientId}`)).status).toBe(204);
    const { introspection_endpoint } = await discover(tenant.issuer);
    const res = await postForm(introspection_endpoint, { token }, { authorization: basic(client.clientId, client.clientSecret) });
    expect(res.body).toEqual({ active: false });
  });

  it('refuses a request body that is not form-encoded', async () => {
    const { token_endpoint } = await discover(tenant.issuer);
    const res = await fetch(token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(client.clientId, client.clientSecret) },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });
});
