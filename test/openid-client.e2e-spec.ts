import { decodeProtectedHeader } from 'jose';
import * as client from 'openid-client';
import { Browser } from './support/browser.js';
import { AdminApi } from './support/oauth-client.js';
import { signIn } from './support/sign-in.js';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

const REDIRECT = 'https://rp.example/cb';
const NATIVE_REDIRECT = 'com.example.rp:/cb';
const PASSWORD = 'a long enough password';
const ADA = { username: 'ada', password: PASSWORD };

/**
 * Interoperability with openid-client v6 (a certified OpenID Connect relying party), used unmodified.
 * It validates what a careful client validates: issuer of the metadata, RFC 9207 iss of the
 * authorization response, state, PKCE, the ID token (signature, iss, aud, exp, iat, nonce, at_hash).
 * Plain http is allowed through its documented option `execute: [allowInsecureRequests]`.
 */
describe('interoperability with openid-client (certified relying party)', () => {
  let server: TesseraProcess;
  let admin: AdminApi;
  let tenant: { slug: string; issuer: string };
  let rp: { clientId: string; clientSecret: string };
  let native: { clientId: string };
  let userId: string;

  beforeAll(async () => {
    server = await startTessera();
    admin = new AdminApi(server);
    tenant = await admin.createTenant('rp');
    userId = await admin.createAda(tenant.slug, PASSWORD);
    rp = await admin.createClient(tenant.slug, {
      name: 'Relying party',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [REDIRECT],
      scopes: ['openid', 'profile', 'email', 'offline_access'],
    });
    native = await admin.createClient(tenant.slug, {
      name: 'Native relying party',
      type: 'public',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [NATIVE_REDIRECT],
      scopes: ['openid', 'offline_access'],
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  const insecure = { execute: [client.allowInsecureRequests] };

  /** Signs in with the test browser and returns where the server sent it (the redirect_uri). */
  async function authorize(config: client.Configuration, parameters: Record<string, string>, browser = new Browser()): Promise<URL> {
    const url = client.buildAuthorizationUrl(config, parameters);
    const { location } = await signIn(browser, server.baseUrl, url.toString(), ADA);
    return location;
  }

  it('refuses plain http discovery unless allowInsecureRequests is configured', async () => {
    await expect(client.discovery(new URL(tenant.issuer), rp.clientId, rp.clientSecret)).rejects.toThrow();
    const config = await client.discovery(new URL(tenant.issuer), rp.clientId, rp.clientSecret, undefined, insecure);
    expect(config.serverMetadata().issuer).toBe(tenant.issuer);
  });

  it('runs the whole code flow with PKCE: discovery, authorization, code grant with ID token validation, userinfo, refresh, introspection, revocation', async () => {
    const config = await client.discovery(new URL(tenant.issuer), rp.clientId, rp.clientSecret, undefined, insecure);
    const metadata = config.serverMetadata();
    expect(metadata.supportsPKCE()).toBe(true);
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);

    const pkceCodeVerifier = client.randomPKCECodeVerifier();
    const codeChallenge = await client.calculatePKCECodeChallenge(pkceCodeVerifier);
    const nonce = client.randomNonce();
    const state = client.randomState();
    const redirect = await authorize(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile email offline_access',
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
      nonce,
      state,
    });
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT);

    const tokens = await client.authorizationCodeGrant(config, redirect, { pkceCodeVerifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.expiresIn()).toBeGreaterThan(0);
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(userId);
    expect(claims.iss).toBe(tenant.issuer);
    expect(claims.aud).toBe(rp.clientId);
    expect(claims.nonce).toBe(nonce);

    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info).toMatchObject({ sub: userId, preferred_username: 'ada', name: 'Ada Lovelace', email: 'ada@example.com', email_verified: true });
    await expect(client.fetchUserInfo(config, tokens.access_token, 'someone-else')).rejects.toThrow();

    const introspected = await client.tokenIntrospection(config, tokens.access_token);
    expect(introspected).toMatchObject({ active: true, sub: userId, client_id: rp.clientId, iss: tenant.issuer });

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.claims()?.sub).toBe(userId);
    expect(await client.tokenIntrospection(config, refreshed.access_token)).toMatchObject({ active: true });

    // The rotated-out refresh token is refused as the OAuth error a client expects.
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

    const again = await authorizeAndRedeem(config);
    await client.tokenRevocation(config, again.refresh_token!, { token_type_hint: 'refresh_token' });
    expect(await client.tokenIntrospection(config, again.access_token)).toMatchObject({ active: false });
    await expect(client.refreshTokenGrant(config, again.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

    const third = await authorizeAndRedeem(config);
    await client.tokenRevocation(config, third.access_token);
    expect(await client.tokenIntrospection(config, third.access_token)).toMatchObject({ active: false });
    await expect(client.fetchUserInfo(config, third.access_token, userId)).rejects.toThrow();
  });

  async function authorizeAndRedeem(config: client.Configuration): Promise<Awaited<ReturnType<typeof client.authorizationCodeGrant>>> {
    const pkceCodeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const redirect = await authorize(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile email offline_access',
      // OIDC Core 11: offline access wants consent in this request, not only a remembered one.
      prompt: 'consent',
      code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
      code_challenge_method: 'S256',
      nonce,
      state,
    });
    return client.authorizationCodeGrant(config, redirect, { pkceCodeVerifier, expectedState: state, expectedNonce: nonce });
  }

  it('works with client_secret_basic and with RFC 8414 discovery (algorithm oauth2)', async () => {
    const config = await client.discovery(new URL(tenant.issuer), rp.clientId, {}, client.ClientSecretBasic(rp.clientSecret), {
      ...insecure,
      algorithm: 'oauth2',
    });
    expect(config.serverMetadata().issuer).toBe(tenant.issuer);
    const tokens = await authorizeAndRedeem(config);
    expect(tokens.claims()?.sub).toBe(userId);
    expect((await client.refreshTokenGrant(config, tokens.refresh_token!)).access_token).toEqual(expect.any(String));
  });

  it('serves a relying party that knows only the OIDC default RS256: no id_token_signed_response_alg, no algorithm list from the server', async () => {
    const discovered = await client.discovery(new URL(tenant.issuer), rp.clientId, rp.clientSecret, undefined, insecure);
    expect(discovered.serverMetadata().id_token_signing_alg_values_supported).toEqual(['RS256', 'ES256']);
    // Without the list openid-client expects RS256 (OIDC Core 15.1), as an RS256-only relying party does.
    const { id_token_signing_alg_values_supported: _listed, ...metadata } = discovered.serverMetadata();
    const config = new client.Configuration(metadata, rp.clientId, rp.clientSecret);
    client.allowInsecureRequests(config);
    const tokens = await authorizeAndRedeem(config);
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('RS256');
    expect(tokens.claims()?.sub).toBe(userId);
    expect(decodeProtectedHeader((await client.refreshTokenGrant(config, tokens.refresh_token!)).id_token!).alg).toBe('RS256');
  });

  it('works for a client registered for ES256 ID tokens that says so (id_token_signed_response_alg ES256)', async () => {
    const es = await admin.createClient(tenant.slug, {
      name: 'ES256 relying party',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [REDIRECT],
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      idTokenSignedResponseAlg: 'ES256',
    });
    const config = await client.discovery(
      new URL(tenant.issuer),
      es.clientId,
      { client_secret: es.clientSecret, id_token_signed_response_alg: 'ES256' },
      undefined,
      insecure,
    );
    const tokens = await authorizeAndRedeem(config);
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('ES256');
    expect(tokens.claims()?.aud).toBe(es.clientId);
  });

  it('works for a public client (token_endpoint_auth_method none) with PKCE, refresh and revocation', async () => {
    const config = await client.discovery(new URL(tenant.issuer), native.clientId, undefined, client.None(), insecure);
    const pkceCodeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const redirect = await authorize(config, {
      redirect_uri: NATIVE_REDIRECT,
      scope: 'openid offline_access',
      code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
      code_challenge_method: 'S256',
      nonce,
      state,
    });
    const tokens = await client.authorizationCodeGrant(config, redirect, { pkceCodeVerifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.claims()?.sub).toBe(userId);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    await client.tokenRevocation(config, refreshed.refresh_token!);
    await expect(client.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(client.fetchUserInfo(config, refreshed.access_token, userId)).rejects.toThrow();
  });

  it('surfaces an authorization error (prompt=none without a session) as an AuthorizationResponseError after checking iss and state', async () => {
    const config = await client.discovery(new URL(tenant.issuer), rp.clientId, rp.clientSecret, undefined, insecure);
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      prompt: 'none',
      state,
    });
    const res = await fetch(url, { redirect: 'manual' });
    const redirect = new URL(res.headers.get('location')!);
    await expect(
      client.authorizationCodeGrant(config, redirect, { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: state }),
    ).rejects.toMatchObject({ error: 'login_required' });
  });

  it('rejects an authorization response whose iss does not match (mix-up defence, RFC 9207)', async () => {
    const config = await client.discovery(new URL(tenant.issuer), rp.clientId, rp.clientSecret, undefined, insecure);
    const pkceCodeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const redirect = await authorize(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
      code_challenge_method: 'S256',
      state,
    });
    redirect.searchParams.set('iss', server.issuer('someone-else'));
    const error = await client.authorizationCodeGrant(config, redirect, { pkceCodeVerifier, expectedState: state }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(client.ClientError);
    expect(((error as Error).cause as Error).message).toMatch(/"iss"/);
  });
});
