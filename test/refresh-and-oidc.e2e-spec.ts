import { createHash } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  jwtVerify,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import { Browser, pkcePair } from './support/browser.js';
import { AdminApi, basic, discover, postForm, type HttpResult, type Metadata } from './support/oauth-client.js';
import { authorizeUrl, signIn } from './support/sign-in.js';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

const REDIRECT = 'https://app.example/callback';
const NATIVE_REDIRECT = 'com.example.app:/callback';
const PASSWORD = 'a long enough password';
const ADA = { username: 'ada', password: PASSWORD };
/** Signs in for the signing-algorithm tests, so that ada stays within the per-username sign-in limit. */
const HEDY = { username: 'hedy', password: PASSWORD };

interface Client {
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
}

/**
 * Refresh tokens (RFC 6749 section 6, RFC 9700 section 4.14: rotation and reuse detection),
 * revocation (RFC 7009), ID tokens (OIDC Core 2, 3.1.3.6) and userinfo (OIDC Core 5.3, RFC 6750).
 */
describe('refresh tokens, revocation, ID tokens and userinfo', () => {
  let server: TesseraProcess;
  let admin: AdminApi;
  let tenant: { slug: string; issuer: string };
  let meta: Metadata;
  let web: Client;
  let second: Client;
  let noRefreshGrant: Client;
  let mobile: Client;
  let resourceServer: { clientId: string; clientSecret: string };
  let userId: string;

  beforeAll(async () => {
    server = await startTessera();
    admin = new AdminApi(server);
    tenant = await admin.createTenant('refresh');
    meta = await discover(tenant.issuer);
    userId = await admin.createAda(tenant.slug, PASSWORD);
    expect((await admin.request('POST', `/tenants/${tenant.slug}/users`, { username: HEDY.username, password: PASSWORD })).status).toBe(201);
    const userScopes = ['openid', 'profile', 'email', 'offline_access'];
    // First-party: these tests are about tokens, not the consent page.
    const confidential = async (name: string, grantTypes: string[]): Promise<Client> => ({
      ...(await admin.createClient(tenant.slug, { name, grantTypes, redirectUris: [REDIRECT], scopes: userScopes, firstParty: true })),
      redirectUri: REDIRECT,
    });
    web = await confidential('Web app', ['authorization_code', 'refresh_token']);
    second = await confidential('Second app', ['authorization_code', 'refresh_token']);
    noRefreshGrant = await confidential('No refresh app', ['authorization_code']);
    const created = await admin.createClient(tenant.slug, {
      name: 'Mobile app',
      type: 'public',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [NATIVE_REDIRECT],
      scopes: userScopes,
      firstParty: true,
    });
    expect(created.clientSecret).toBeUndefined();
    mobile = { clientId: created.clientId, redirectUri: NATIVE_REDIRECT };
    resourceServer = await admin.createClient(tenant.slug, { name: 'API', grantTypes: ['client_credentials'] });
  });

  afterAll(async () => {
    await server?.stop();
  });

  function auth(client: Client): { headers: Record<string, string>; params: Record<string, string> } {
    return client.clientSecret
      ? { headers: { authorization: basic(client.clientId, client.clientSecret) }, params: {} }
      : { headers: {}, params: { client_id: client.clientId } };
  }

  async function tokens(
    client: Client,
    scope: string,
    extra: Record<string, string> = {},
    credentials: { username: string; password: string } = ADA,
  ): Promise<Record<string, unknown>> {
    const { verifier, challenge } = pkcePair();
    const { location } = await signIn(
      new Browser(),
      server.baseUrl,
      authorizeUrl(meta, {
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: client.redirectUri,
        scope,
        state: 's',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        ...extra,
      }),
      credentials,
    );
    const code = location.searchParams.get('code');
    if (!code) throw new Error(`no code: ${location.toString()}`);
    const { headers, params } = auth(client);
    const res = await postForm(
      meta.token_endpoint,
      { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: verifier, ...params },
      headers,
    );
    if (res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  function refresh(client: Client, refreshToken: string, extra: Record<string, string> = {}): Promise<HttpResult> {
    const { headers, params } = auth(client);
    return postForm(meta.token_endpoint, { grant_type: 'refresh_token', refresh_token: refreshToken, ...params, ...extra }, headers);
  }

  async function active(token: string): Promise<boolean> {
    const res = await postForm(meta.introspection_endpoint, { token }, { authorization: basic(resourceServer.clientId, resourceServer.clientSecret) });
    expect(res.status).toBe(200);
    return res.body['active'] === true;
  }

  function userinfo(accessToken?: string): Promise<Response> {
    return fetch(meta['userinfo_endpoint'] as string, { headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {} });
  }

  function expectInvalidGrant(res: HttpResult): void {
    expect(res.status).toBe(400);
    expect(res.body['error']).toBe('invalid_grant');
  }

  describe('introspection of refresh tokens (RFC 7662)', () => {
    const introspectAs = (client: Client, token: string, hint?: string) =>
      postForm(meta.introspection_endpoint, { token, ...(hint && { token_type_hint: hint }) }, { authorization: basic(client.clientId, client.clientSecret!) });

    it('reports a live refresh token active to its own client, with client_id, sub, scope, iat and exp, with or without the hint', async () => {
      const before = Math.floor(Date.now() / 1000);
      const rt = (await tokens(web, 'openid offline_access'))['refresh_token'] as string;
      for (const hint of [undefined, 'refresh_token', 'access_token']) {
        const res = await introspectAs(web, rt, hint);
        expect(res.status).toBe(200);
        expect(res.headers.get('cache-control')).toContain('no-store');
        expect(res.body).toEqual({
          active: true,
          iss: tenant.issuer,
          client_id: web.clientId,
          sub: userId,
          scope: 'openid offline_access',
          iat: expect.any(Number),
          exp: expect.any(Number),
        });
        expect(res.body['iat'] as number).toBeGreaterThanOrEqual(before - 1);
        expect(res.body['exp'] as number).toBeGreaterThan(before);
      }
    });

    it('reports it inactive to any other client, once rotated out, and once revoked', async () => {
      const rt0 = (await tokens(web, 'openid offline_access'))['refresh_token'] as string;
      expect((await introspectAs(second, rt0)).body).toEqual({ active: false });
      expect((await postForm(meta.introspection_endpoint, { token: rt0 }, { authorization: basic(resourceServer.clientId, resourceServer.clientSecret) })).body).toEqual({
        active: false,
      });
      const r1 = await refresh(web, rt0);
      const rt1 = r1.body['refresh_token'] as string;
      expect((await introspectAs(web, rt0)).body).toEqual({ active: false });
      expect((await introspectAs(web, rt1)).body['active']).toBe(true);
      const revoked = await postForm(meta.revocation_endpoint, { token: rt1, token_type_hint: 'refresh_token' }, { authorization: basic(web.clientId, web.clientSecret!) });
      expect(revoked.status).toBe(200);
      expect((await introspectAs(web, rt1)).body).toEqual({ active: false });
    });
  });

  describe('refresh token rotation (RFC 9700 4.14.2)', () => {
    it('issues a new refresh token on every refresh and rejects the rotated-out one', async () => {
      const first = await tokens(web, 'openid offline_access');
      const rt0 = first['refresh_token'] as string;
      expect(rt0).toEqual(expect.any(String));

      const r1 = await refresh(web, rt0);
      expect(r1.status).toBe(200);
      expect(r1.headers.get('cache-control')).toContain('no-store');
      const rt1 = r1.body['refresh_token'] as string;
      expect(rt1).toEqual(expect.any(String));
      expect(rt1).not.toBe(rt0);
      expect(r1.body['access_token']).not.toBe(first['access_token']);
      expect(r1.body['scope']).toBe('openid offline_access');
      expect(await active(r1.body['access_token'] as string)).toBe(true);

      const r2 = await refresh(web, rt1);
      expect(r2.status).toBe(200);
      const rt2 = r2.body['refresh_token'] as string;
      expect(new Set([rt0, rt1, rt2]).size).toBe(3);

      expectInvalidGrant(await refresh(web, rt0));
    });

    it('answers reuse of a rotated-out refresh token with invalid_grant and revokes the whole family', async () => {
      const first = await tokens(web, 'openid offline_access');
      const rt0 = first['refresh_token'] as string;
      const at0 = first['access_token'] as string;
      const r1 = await refresh(web, rt0);
      expect(r1.status).toBe(200);
      const rt1 = r1.body['refresh_token'] as string;
      const at1 = r1.body['access_token'] as string;
      expect(await active(at0)).toBe(true);
      expect(await active(at1)).toBe(true);

      // An attacker (or a confused client) presents the old token again.
      expectInvalidGrant(await refresh(web, rt0));

      // The legitimate holder's newest token dies too, and every access token of the family.
      expectInvalidGrant(await refresh(web, rt1));
      expect(await active(at0)).toBe(false);
      expect(await active(at1)).toBe(false);
      expect((await userinfo(at1)).status).toBe(401);
    });

    it('answers two refreshes of one token sent at once with one success and one invalid_grant, and the family dies', async () => {
      // As hedy: ada's sign-ins in this file come close to the per-username login limit.
      const first = await tokens(web, 'openid offline_access', {}, HEDY);
      const rt0 = first['refresh_token'] as string;
      // Both requests in flight at once; whichever rotates first wins, the other is a reuse. (That the
      // token's row lock decides it when both reach the database together is shown against
      // PostgreSQL itself in typeorm-refresh-token.repository.spec.ts.)
      const results = await Promise.all([refresh(web, rt0), refresh(web, rt0)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
      const winner = results.find((r) => r.status === 200)!;
      expectInvalidGrant(results.find((r) => r.status !== 200)!);

      // The loser was a reuse (RFC 9700 section 4.14.2): the winner's tokens die with the family.
      expectInvalidGrant(await refresh(web, winner.body['refresh_token'] as string));
      expect(await active(winner.body['access_token'] as string)).toBe(false);
      expect(await active(first['access_token'] as string)).toBe(false);
    });

    it('narrows the scope at refresh (scope=openid) without narrowing the grant', async () => {
      const first = await tokens(web, 'openid profile offline_access');
      const narrowed = await refresh(web, first['refresh_token'] as string, { scope: 'openid' });
      expect(narrowed.status).toBe(200);
      expect(narrowed.body['scope']).toBe('openid');
      const narrowedInfo = await userinfo(narrowed.body['access_token'] as string);
      expect(Object.keys(await narrowedInfo.json())).toEqual(['sub']);

      // RFC 6749 section 6: the refresh token keeps the original grant.
      const full = await refresh(web, narrowed.body['refresh_token'] as string);
      expect(full.status).toBe(200);
      expect((full.body['scope'] as string).split(' ').sort()).toEqual(['offline_access', 'openid', 'profile']);
    });

    it('refuses to widen the scope at refresh (invalid_scope) and the refresh token still works afterwards', async () => {
      const first = await tokens(web, 'openid offline_access');
      const rt = first['refresh_token'] as string;
      const widened = await refresh(web, rt, { scope: 'openid offline_access email' });
      expect(widened.status).toBe(400);
      expect(widened.body['error']).toBe('invalid_scope');
      const notAllowed = await refresh(web, rt, { scope: 'openid not-a-scope' });
      expect(notAllowed.body['error']).toBe('invalid_scope');

      const after = await refresh(web, rt);
      expect(after.status).toBe(200);
      expect(after.body['scope']).toBe('openid offline_access');
    });

    it('issues no refresh token without offline_access in the scope', async () => {
      const body = await tokens(web, 'openid profile');
      expect(body['access_token']).toEqual(expect.any(String));
      expect(body).not.toHaveProperty('refresh_token');
    });

    it("issues no refresh token when the client's grant types lack refresh_token, even with offline_access", async () => {
      const body = await tokens(noRefreshGrant, 'openid offline_access');
      expect(body['access_token']).toEqual(expect.any(String));
      expect(body).not.toHaveProperty('refresh_token');
    });

    it('with openid, gives a third-party client offline access only for a consent given in that request, as prompt=consent asks (OIDC Core 11)', async () => {
      const thirdParty: Client = {
        ...(await admin.createClient(tenant.slug, {
          name: 'Third-party app',
          grantTypes: ['authorization_code', 'refresh_token'],
          redirectUris: [REDIRECT],
          scopes: ['openid', 'profile', 'offline_access'],
        })),
        redirectUri: REDIRECT,
      };
      // The consent page is shown (a new client) and the user allows offline access there.
      const first = await tokens(thirdParty, 'openid offline_access');
      expect(first['refresh_token']).toEqual(expect.any(String));
      // The remembered consent skips the page: without prompt=consent, offline_access is ignored.
      const remembered = await tokens(thirdParty, 'openid offline_access');
      expect(remembered).not.toHaveProperty('refresh_token');
      expect(remembered['scope']).toBe('openid');
      // prompt=consent asks again, and then offline access is granted.
      const asked = await tokens(thirdParty, 'openid offline_access', { prompt: 'consent' });
      expect(asked['refresh_token']).toEqual(expect.any(String));
      expect(asked['scope']).toBe('openid offline_access');
      // Without openid this is plain OAuth: offline_access and the refresh_token grant are enough.
      const oauth = await tokens(thirdParty, 'offline_access');
      expect(oauth['refresh_token']).toEqual(expect.any(String));
      // First-party clients hold offline access by their registration.
      expect((await tokens(web, 'openid offline_access'))['refresh_token']).toEqual(expect.any(String));
    });

    it('refuses a refresh token of client A presented by client B (invalid_grant), leaving it usable by A', async () => {
      const first = await tokens(web, 'openid offline_access');
      const rt = first['refresh_token'] as string;
      expectInvalidGrant(await refresh(second, rt));
      expectInvalidGrant(await refresh(mobile, rt));
      const own = await refresh(web, rt);
      expect(own.status).toBe(200);
    });

    it('rotates the refresh tokens of a public client authenticated by client_id only', async () => {
      const first = await tokens(mobile, 'openid offline_access');
      const r1 = await refresh(mobile, first['refresh_token'] as string);
      expect(r1.status).toBe(200);
      expect(r1.body['refresh_token']).not.toBe(first['refresh_token']);
    });
  });

  describe('revocation (RFC 7009)', () => {
    it('lets a public client revoke its refresh token with client_id; the refresh token and the access tokens of its grant die', async () => {
      const first = await tokens(mobile, 'openid offline_access');
      const rt0 = first['refresh_token'] as string;
      const at0 = first['access_token'] as string;
      const r1 = await refresh(mobile, rt0);
      const rt1 = r1.body['refresh_token'] as string;
      const at1 = r1.body['access_token'] as string;
      expect(await active(at1)).toBe(true);

      const res = await postForm(meta.revocation_endpoint, { token: rt1, token_type_hint: 'refresh_token', client_id: mobile.clientId });
      expect(res.status).toBe(200);

      expectInvalidGrant(await refresh(mobile, rt1));
      expect(await active(at0)).toBe(false);
      expect(await active(at1)).toBe(false);
      expect((await userinfo(at1)).status).toBe(401);
    });

    it('lets a confidential client revoke its refresh token without a hint', async () => {
      const first = await tokens(web, 'openid offline_access');
      const res = await postForm(meta.revocation_endpoint, { token: first['refresh_token'] as string }, { authorization: basic(web.clientId, web.clientSecret!) });
      expect(res.status).toBe(200);
      expectInvalidGrant(await refresh(web, first['refresh_token'] as string));
      expect(await active(first['access_token'] as string)).toBe(false);
    });

    it("does not let another client revoke a client's refresh token", async () => {
      const first = await tokens(web, 'openid offline_access');
      const res = await postForm(meta.revocation_endpoint, { token: first['refresh_token'] as string, client_id: mobile.clientId });
      expect(res.status).not.toBe(500);
      expect((await refresh(web, first['refresh_token'] as string)).status).toBe(200);
    });

    it('answers 200 for an unknown token (section 2.2)', async () => {
      const res = await postForm(meta.revocation_endpoint, { token: 'no-such-token', client_id: mobile.clientId });
      expect(res.status).toBe(200);
    });
  });

  describe('an admin changing a user (PATCH /tenants/{slug}/users/{id})', () => {
    it.each([
      ['a new password', 'grace', { password: 'a different long password' }],
      ['disabling the user', 'linus', { disabled: true }],
    ])("%s ends every refresh token and access token of that user, and no other user's", async (_change, username, patch) => {
      const created = await admin.request('POST', `/tenants/${tenant.slug}/users`, { username, password: PASSWORD });
      expect(created.status).toBe(201);
      const credentials = { username, password: PASSWORD };
      // Three grants of the user: two with refresh tokens (one already rotated), one access token alone.
      const atWeb = await tokens(web, 'openid offline_access', {}, credentials);
      const rotated = await refresh(web, atWeb['refresh_token'] as string);
      expect(rotated.status).toBe(200);
      const atMobile = await tokens(mobile, 'openid offline_access', {}, credentials);
      const accessOnly = await tokens(second, 'openid', {}, credentials);
      const theirAccessTokens = [atWeb, rotated.body, atMobile, accessOnly].map((body) => body['access_token'] as string);
      for (const token of theirAccessTokens) expect(await active(token)).toBe(true);
      const others = await tokens(web, 'openid offline_access');

      const changed = await admin.request('PATCH', `/tenants/${tenant.slug}/users/${created.body['id'] as string}`, patch);
      expect(changed.status).toBe(200);

      expectInvalidGrant(await refresh(web, rotated.body['refresh_token'] as string));
      expectInvalidGrant(await refresh(mobile, atMobile['refresh_token'] as string));
      for (const token of theirAccessTokens) expect(await active(token)).toBe(false);
      expect((await userinfo(accessOnly['access_token'] as string)).status).toBe(401);

      // Ada's tokens are untouched: her access token is live and her refresh token still rotates.
      expect(await active(others['access_token'] as string)).toBe(true);
      const theirs = await refresh(web, others['refresh_token'] as string);
      expect(theirs.status).toBe(200);
      expect(await active(theirs.body['access_token'] as string)).toBe(true);
    });
  });

  describe('ID token (OIDC Core 2, 3.1.3.6)', () => {
    it('verifies with the JWKS and carries iss, sub, aud, exp, iat, auth_time, nonce and at_hash (RS256, the default of a new client)', async () => {
      const before = Math.floor(Date.now() / 1000) - 5;
      const body = await tokens(web, 'openid profile', { nonce: 'n-0S6_WzA2Mj' });
      const idToken = body['id_token'] as string;
      const accessToken = body['access_token'] as string;
      expect(idToken).toEqual(expect.any(String));

      const jwks = createRemoteJWKSet(new URL(meta.jwks_uri));
      const { payload, protectedHeader } = await jwtVerify(idToken, jwks, {
        issuer: tenant.issuer,
        audience: web.clientId,
        algorithms: ['RS256'],
      });
      expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
      expect(decodeProtectedHeader(idToken).typ).not.toBe('at+jwt');
      expect(payload.iss).toBe(tenant.issuer);
      expect(payload.sub).toBe(userId);
      expect(payload.aud === web.clientId || (Array.isArray(payload.aud) && payload.aud.includes(web.clientId))).toBe(true);
      expect(payload.iat).toBeGreaterThanOrEqual(before);
      expect(payload.exp).toBeGreaterThan(payload.iat!);
      expect(payload['auth_time']).toEqual(expect.any(Number));
      expect(payload['auth_time'] as number).toBeLessThanOrEqual(payload.iat!);
      expect(payload['nonce']).toBe('n-0S6_WzA2Mj');

      const digest = createHash('sha256').update(accessToken, 'ascii').digest();
      expect(payload['at_hash']).toBe(digest.subarray(0, 16).toString('base64url'));
    });

    it('issues at refresh an id_token for the same sub, aud and auth_time, with the new access token in at_hash (OIDC Core 12.2)', async () => {
      const first = await tokens(web, 'openid offline_access', { nonce: 'n-refresh' });
      const jwks = createRemoteJWKSet(new URL(meta.jwks_uri));
      const original = (await jwtVerify(first['id_token'] as string, jwks, { issuer: tenant.issuer, audience: web.clientId })).payload;
      const refreshed = await refresh(web, first['refresh_token'] as string);
      expect(refreshed.status).toBe(200);
      const { payload } = await jwtVerify(refreshed.body['id_token'] as string, jwks, { issuer: tenant.issuer, audience: web.clientId });
      expect(payload.sub).toBe(original.sub);
      expect(payload['auth_time']).toBe(original['auth_time']);
      const digest = createHash('sha256').update(refreshed.body['access_token'] as string, 'ascii').digest();
      expect(payload['at_hash']).toBe(digest.subarray(0, 16).toString('base64url'));
    });

    it('signs with the key of the client\'s idTokenSignedResponseAlg, the matching key of the JWKS; access tokens stay ES256', async () => {
      expect(meta['id_token_signing_alg_values_supported']).toEqual(['RS256', 'ES256']);
      expect(meta['access_token_signing_alg_values_supported']).toEqual(['ES256']);
      const jwks = (await (await fetch(meta.jwks_uri)).json()) as { keys: JWK[] };
      const rsa = jwks.keys.find((k) => k.alg === 'RS256')!;
      const ec = jwks.keys.find((k) => k.alg === 'ES256')!;
      expect(jwks.keys).toHaveLength(2);
      expect(rsa).toMatchObject({ kty: 'RSA', use: 'sig', kid: expect.any(String) });
      expect(ec).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'sig', kid: expect.any(String) });
      expect(jwks.keys.every((k) => k.d === undefined && k.p === undefined)).toBe(true);

      expect((await admin.request('GET', `/tenants/${tenant.slug}/clients/${web.clientId}`)).body['idTokenSignedResponseAlg']).toBe('RS256');
      const es = await admin.createClient(tenant.slug, {
        name: 'ES256 app',
        grantTypes: ['authorization_code'],
        redirectUris: [REDIRECT],
        scopes: ['openid'],
        firstParty: true,
        idTokenSignedResponseAlg: 'ES256',
      });
      expect(es['idTokenSignedResponseAlg']).toBe('ES256');
      const esClient = { ...es, redirectUri: REDIRECT };

      const rsBody = await tokens(web, 'openid', { nonce: 'rs' }, HEDY);
      const esBody = await tokens(esClient, 'openid', { nonce: 'es' }, HEDY);
      const rsToken = rsBody['id_token'] as string;
      const esToken = esBody['id_token'] as string;
      expect(decodeProtectedHeader(rsToken)).toMatchObject({ alg: 'RS256', kid: rsa.kid });
      expect(decodeProtectedHeader(esToken)).toMatchObject({ alg: 'ES256', kid: ec.kid });
      await expect(jwtVerify(rsToken, await importJWK(rsa, 'RS256'), { issuer: tenant.issuer, audience: web.clientId })).resolves.toBeDefined();
      await expect(jwtVerify(esToken, await importJWK(ec, 'ES256'), { issuer: tenant.issuer, audience: es.clientId })).resolves.toBeDefined();
      // at_hash is SHA-256 based for both algorithms.
      for (const body of [rsBody, esBody]) {
        const digest = createHash('sha256').update(body['access_token'] as string, 'ascii').digest();
        expect(decodeJwt(body['id_token'] as string)['at_hash']).toBe(digest.subarray(0, 16).toString('base64url'));
        expect(decodeProtectedHeader(body['access_token'] as string)).toMatchObject({ alg: 'ES256', kid: ec.kid });
      }

      // PATCH switches the algorithm; an unknown one is a field error.
      const patched = await admin.request('PATCH', `/tenants/${tenant.slug}/clients/${es.clientId}`, { idTokenSignedResponseAlg: 'RS256' });
      expect(patched.body['idTokenSignedResponseAlg']).toBe('RS256');
      expect(decodeProtectedHeader((await tokens(esClient, 'openid', {}, HEDY))['id_token'] as string)).toMatchObject({ alg: 'RS256', kid: rsa.kid });
      const bad = await admin.request<{ errors?: { field: string }[] }>('PATCH', `/tenants/${tenant.slug}/clients/${es.clientId}`, {
        idTokenSignedResponseAlg: 'HS256',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors?.map((e) => e.field)).toContain('idTokenSignedResponseAlg');
    });

    it('rotates both keys; an ID token of the old RS256 key still verifies with the JWKS and new ones use the new key', async () => {
      const mint = async () => (await tokens(web, 'openid', {}, HEDY))['id_token'] as string;
      const old = await mint();
      const oldKid = decodeProtectedHeader(old).kid;
      const keysBefore = await admin.request<{ items: { kid: string; alg: string; status: string }[] }>('GET', `/tenants/${tenant.slug}/keys`);
      expect(keysBefore.body.items.map((k) => [k.alg, k.status]).sort()).toEqual([
        ['ES256', 'active'],
        ['RS256', 'active'],
      ]);

      const rotated = await admin.request<{ kid: string; alg: string }>('POST', `/tenants/${tenant.slug}/keys/rotate`);
      expect(rotated.body.alg).toBe('ES256');
      const fresh = await mint();
      expect(decodeProtectedHeader(fresh)).toMatchObject({ alg: 'RS256' });
      expect(decodeProtectedHeader(fresh).kid).not.toBe(oldKid);

      const jwks = (await (await fetch(meta.jwks_uri)).json()) as { keys: JWK[] };
      expect(jwks.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'ES256', 'RS256', 'RS256']);
      const keySet = createLocalJWKSet(jwks as JSONWebKeySet);
      for (const token of [old, fresh]) {
        await expect(jwtVerify(token, keySet, { issuer: tenant.issuer, audience: web.clientId, algorithms: ['RS256'] })).resolves.toBeDefined();
      }
      const keysAfter = await admin.request<{ items: { kid: string; alg: string; status: string }[] }>('GET', `/tenants/${tenant.slug}/keys`);
      expect(keysAfter.body.items.find((k) => k.kid === oldKid)).toMatchObject({ alg: 'RS256', status: 'retired' });
    });

    it('omits nonce when the request had none, and issues no id_token without openid', async () => {
      const withOpenid = await tokens(web, 'openid');
      const { payload } = await jwtVerify(withOpenid['id_token'] as string, createRemoteJWKSet(new URL(meta.jwks_uri)));
      expect(payload).not.toHaveProperty('nonce');
      const without = await tokens(web, 'profile');
      expect(without).not.toHaveProperty('id_token');
    });
  });

  describe('userinfo (OIDC Core 5.3, RFC 6750)', () => {
    it('answers only sub with scope openid', async () => {
      const body = await tokens(web, 'openid');
      const res = await userinfo(body['access_token'] as string);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toContain('no-store');
      expect(await res.json()).toEqual({ sub: userId });
    });

    it('adds preferred_username and name with scope profile, and no email', async () => {
      const body = await tokens(web, 'openid profile');
      const info = (await (await userinfo(body['access_token'] as string)).json()) as Record<string, unknown>;
      expect(info).toMatchObject({ sub: userId, preferred_username: 'ada', name: 'Ada Lovelace' });
      expect(info).not.toHaveProperty('email');
    });

    it('adds email and email_verified with scope email, and no profile claims', async () => {
      const body = await tokens(web, 'openid email');
      const info = (await (await userinfo(body['access_token'] as string)).json()) as Record<string, unknown>;
      expect(info).toEqual({ sub: userId, email: 'ada@example.com', email_verified: true });
    });

    it('answers 403 insufficient_scope with a Bearer challenge for a token without openid', async () => {
      const body = await tokens(web, 'profile');
      const res = await userinfo(body['access_token'] as string);
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b.*error="insufficient_scope"/);
      expect(await res.json()).toMatchObject({ error: 'insufficient_scope' });
    });

    it('answers 401 with a Bearer challenge without a token', async () => {
      const res = await userinfo();
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    });

    it('answers 400 invalid_request with a Bearer challenge for an Authorization header that is no bearer token (RFC 6750 section 3)', async () => {
      for (const authorization of ['Basic YTpi', 'Bearer', 'Bearer two words']) {
        const res = await fetch(meta['userinfo_endpoint'] as string, { headers: { authorization } });
        expect(res.status).toBe(400);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b.*error="invalid_request"/);
        expect(await res.json()).toMatchObject({ error: 'invalid_request' });
      }
    });

    it('answers 401 invalid_token for a revoked access token', async () => {
      const body = await tokens(web, 'openid');
      const accessToken = body['access_token'] as string;
      expect((await userinfo(accessToken)).status).toBe(200);
      const revoked = await postForm(meta.revocation_endpoint, { token: accessToken, token_type_hint: 'access_token' }, { authorization: basic(web.clientId, web.clientSecret!) });
      expect(revoked.status).toBe(200);
      const res = await userinfo(accessToken);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b.*error="invalid_token"/);
      expect(await res.json()).toMatchObject({ error: 'invalid_token' });
      expect(await active(accessToken)).toBe(false);
    });

    it('answers 401 invalid_token for a forged or foreign token', async () => {
      const body = await tokens(web, 'openid');
      const [h, p] = (body['access_token'] as string).split('.');
      const res = await userinfo(`${h}.${p}.${'A'.repeat(86)}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    });
  });
});
