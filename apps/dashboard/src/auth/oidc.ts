/**
 * OAuth 2.0 authorization code flow with PKCE (RFC 7636, S256) for a browser public client, and
 * OIDC RP-initiated logout. Endpoints come from the issuer's discovery document only.
 *
 * Tokens never touch Web Storage: the only things that survive the redirect round trip in
 * sessionStorage are the PKCE verifier, the state, the nonce and where to return (none is a token).
 */

export interface OidcConfig {
  /** Tenant slug: the issuer is `${origin}/t/${tenant}`. */
  tenant: string;
  clientId: string;
  /** Absolute path of the redirect URI on this origin, e.g. `/callback`. */
  redirectPath: string;
  /** Absolute path of the post-logout redirect URI, e.g. `/`. */
  postLogoutPath: string;
  scope: string;
}

export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
  revocation_endpoint?: string;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  scope: string[];
  /** Epoch milliseconds at which the access token expires. */
  expiresAt: number;
}

/** What the redirect round trip carries through sessionStorage (no token among it). */
interface PendingAuthorization {
  state: string;
  verifier: string;
  nonce: string;
  returnTo: string;
  silent: boolean;
}

export class OidcError extends Error {
  constructor(
    readonly error: string,
    description?: string,
  ) {
    super(description ? `${error}: ${description}` : error);
    this.name = 'OidcError';
  }
}

/** Errors of a prompt=none request that mean "the user must interact": fall back to the login page. */
export const INTERACTION_ERRORS = ['login_required', 'consent_required', 'interaction_required', 'account_selection_required'];

const metadataCache = new Map<string, Promise<ProviderMetadata>>();

export function issuerOf(config: OidcConfig, origin = window.location.origin): string {
  return `${origin}/t/${config.tenant}`;
}

export function discover(config: OidcConfig): Promise<ProviderMetadata> {
  const issuer = issuerOf(config);
  let pending = metadataCache.get(issuer);
  if (!pending) {
    pending = (async () => {
      const res = await fetch(`${issuer}/.well-known/openid-configuration`, { headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`The discovery document of ${issuer} answered HTTP ${res.status}.`);
      const doc = (await res.json()) as ProviderMetadata;
      // Behind a development proxy the issuer is PUBLIC_URL, not this origin: check the tenant part.
      if (typeof doc.issuer !== 'string' || !doc.issuer.endsWith(`/t/${config.tenant}`)) {
        throw new Error(`The discovery document names issuer ${String(doc.issuer)}, not tenant ${config.tenant}.`);
      }
      return doc;
    })();
    pending.catch(() => metadataCache.delete(issuer));
    metadataCache.set(issuer, pending);
  }
  return pending;
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export async function s256(verifier: string): Promise<string> {
  // A verifier is ASCII (RFC 7636 section 4.1): one byte per character.
  const digest = await crypto.subtle.digest('SHA-256', Uint8Array.from(verifier, (c) => c.charCodeAt(0)));
  return base64url(new Uint8Array(digest));
}

function pendingKey(config: OidcConfig): string {
  return `tessera.pkce.${config.tenant}.${config.clientId}`;
}

export function redirectUri(config: OidcConfig): string {
  return `${window.location.origin}${config.redirectPath}`;
}

/** Builds the authorization request and remembers its verifier/state for the callback. */
export async function authorizationUrl(config: OidcConfig, options: { returnTo: string; silent: boolean }): Promise<string> {
  const meta = await discover(config);
  const pending: PendingAuthorization = {
    state: randomToken(),
    verifier: randomToken(48),
    nonce: randomToken(),
    returnTo: options.returnTo,
    silent: options.silent,
  };
  sessionStorage.setItem(pendingKey(config), JSON.stringify(pending));
  const url = new URL(meta.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri(config));
  url.searchParams.set('scope', config.scope);
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  url.searchParams.set('code_challenge', await s256(pending.verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  if (options.silent) url.searchParams.set('prompt', 'none');
  return url.toString();
}

function decodeJwtPayload(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1];
  if (!part) throw new Error('not a JWT');
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/** The (unverified: it came straight from the token endpoint over TLS) claims of an id token. */
export function idTokenClaims(idToken: string | null): Record<string, unknown> {
  if (!idToken) return {};
  try {
    return decodeJwtPayload(idToken);
  } catch {
    return {};
  }
}

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

async function tokenRequest(config: OidcConfig, params: Record<string, string>): Promise<TokenResponse> {
  const meta = await discover(config);
  const res = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ ...params, client_id: config.clientId }).toString(),
  });
  let body: TokenResponse;
  try {
    body = (await res.json()) as TokenResponse;
  } catch {
    throw new OidcError('server_error', `the token endpoint answered HTTP ${res.status}`);
  }
  if (!res.ok || body.error) throw new OidcError(body.error ?? 'server_error', body.error_description);
  return body;
}

function toTokenSet(body: TokenResponse, previous?: TokenSet): TokenSet {
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token ?? previous?.refreshToken ?? null,
    idToken: body.id_token ?? previous?.idToken ?? null,
    scope: (body.scope ?? previous?.scope.join(' ') ?? '').split(' ').filter(Boolean),
    expiresAt: Date.now() + (body.expires_in ?? 300) * 1000,
  };
}

export type CallbackResult =
  | { kind: 'tokens'; tokens: TokenSet; returnTo: string }
  | { kind: 'interaction_required'; returnTo: string }
  | { kind: 'error'; error: Error; returnTo: string };

/** Handles the redirect back from the authorization endpoint: checks state and redeems the code. */
export async function handleCallback(config: OidcConfig, search: string): Promise<CallbackResult> {
  const params = new URLSearchParams(search);
  const raw = sessionStorage.getItem(pendingKey(config));
  sessionStorage.removeItem(pendingKey(config));
  const pending = raw ? (JSON.parse(raw) as PendingAuthorization) : null;
  const returnTo = pending?.returnTo ?? '/';
  if (!pending || params.get('state') !== pending.state) {
    return { kind: 'error', error: new OidcError('invalid_state', 'this sign-in answer does not belong to a sign-in started here'), returnTo };
  }
  const iss = params.get('iss');
  if (iss !== null && iss !== (await discover(config)).issuer) {
    return { kind: 'error', error: new OidcError('invalid_issuer', `the answer comes from ${iss}`), returnTo };
  }
  const error = params.get('error');
  if (error) {
    if (pending.silent && INTERACTION_ERRORS.includes(error)) return { kind: 'interaction_required', returnTo };
    return { kind: 'error', error: new OidcError(error, params.get('error_description') ?? undefined), returnTo };
  }
  const code = params.get('code');
  if (!code) return { kind: 'error', error: new OidcError('invalid_response', 'the answer carries no code'), returnTo };
  try {
    const body = await tokenRequest(config, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(config),
      code_verifier: pending.verifier,
    });
    const tokens = toTokenSet(body);
    const claims = idTokenClaims(tokens.idToken);
    if (tokens.idToken && claims['nonce'] !== pending.nonce) {
      return { kind: 'error', error: new OidcError('invalid_nonce', 'the id token does not answer this sign-in'), returnTo };
    }
    return { kind: 'tokens', tokens, returnTo };
  } catch (e) {
    return { kind: 'error', error: e instanceof Error ? e : new Error(String(e)), returnTo };
  }
}

export async function refresh(config: OidcConfig, tokens: TokenSet): Promise<TokenSet> {
  if (!tokens.refreshToken) throw new OidcError('invalid_grant', 'no refresh token');
  const body = await tokenRequest(config, { grant_type: 'refresh_token', refresh_token: tokens.refreshToken });
  return toTokenSet(body, tokens);
}

/** RP-initiated logout: ends the server session, then comes back to the post-logout redirect URI. */
export async function endSessionUrl(config: OidcConfig, idToken: string | null): Promise<string> {
  const meta = await discover(config);
  const target = `${window.location.origin}${config.postLogoutPath}`;
  if (!meta.end_session_endpoint) return target;
  const url = new URL(meta.end_session_endpoint);
  if (idToken) url.searchParams.set('id_token_hint', idToken);
  else url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('post_logout_redirect_uri', target);
  return url.toString();
}

/** Best effort: revoke the refresh token at sign-out so it dies even if the logout page is never reached. */
export async function revokeRefreshToken(config: OidcConfig, tokens: TokenSet | null): Promise<void> {
  if (!tokens?.refreshToken) return;
  try {
    const meta = await discover(config);
    if (!meta.revocation_endpoint) return;
    await fetch(meta.revocation_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.refreshToken, token_type_hint: 'refresh_token', client_id: config.clientId }).toString(),
    });
  } catch {
    // The logout below ends the session anyway.
  }
}
