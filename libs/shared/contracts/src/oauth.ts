/** OAuth wire values, spelt as the RFCs spell them. */
export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials', 'password', 'implicit'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** Grants kept for old clients only (RFC 9700 section 2.4 and 2.1.2): off unless a tenant enables them. */
export const LEGACY_GRANT_TYPES: readonly GrantType[] = ['password', 'implicit'];

export const BUILT_IN_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

export const CLIENT_TYPES = ['confidential', 'public'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

/** RFC 6749 section 3.3 scope-token. */
export const SCOPE_TOKEN_PATTERN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** CONTRACT.md: tenant slugs. */
export const TENANT_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/**
 * JWS algorithms an ID token can be signed with (a client's id_token_signed_response_alg). RS256 is
 * the OIDC default (OIDC Core 15.1, Dynamic Client Registration 2); ES256 is the tenant's own algorithm.
 */
export const ID_TOKEN_SIGNING_ALGS = ['RS256', 'ES256'] as const;
export type IdTokenSigningAlg = (typeof ID_TOKEN_SIGNING_ALGS)[number];
