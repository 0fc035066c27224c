import type { ClientType, GrantType } from './oauth.js';
import { hasControlCharacters } from './text.schema.js';

/**
 * The rules a client registration must keep, in one place for every way in: the admin API (create
 * and PATCH), the clients service, the dashboard's form and, later, dynamic registration (RFC 7591).
 * They are plain functions over a normalised client-metadata object (the admin API's camelCase
 * names); each wire format brings a small adapter that maps its names onto it and the issues back
 * (docs/adr, "One home for the client metadata rules"). The zod schemas in clients.schema.ts are
 * the admin API's adapter; the messages are written for people, as the dashboard shows them.
 */

/** Counts and lengths, shown by the form and enforced by the API. */
export const CLIENT_LIMITS = {
  nameLength: 200,
  uriLength: 2048,
  redirectUris: 50,
  postLogoutRedirectUris: 50,
  scopes: 200,
  scopeLength: 128,
} as const;

/** Allowed lifetimes in seconds, with the default a new client gets and the maximum in words. */
export const CLIENT_LIFETIME_BOUNDS = {
  accessTokenTtl: { min: 60, max: 86_400, default: 3600, maxInWords: '1 day' },
  refreshTokenTtl: { min: 60, max: 31_536_000, default: 2_592_000, maxInWords: '1 year' },
  /** A refresh token unused this long lapses, whatever its absolute lifetime (RFC 9700 section 4.14.2). */
  refreshTokenIdleTtl: { min: 60, max: 31_536_000, default: 1_209_600, maxInWords: '1 year' },
} as const;
export type ClientLifetimeName = keyof typeof CLIENT_LIFETIME_BOUNDS;

/** Grants that send the user back to a redirect URI (RFC 6749 sections 4.1 and 4.2). */
export const REDIRECTING_GRANTS: readonly GrantType[] = ['authorization_code', 'implicit'];

/**
 * Grants only a confidential client may use, and why not: client_credentials by RFC 6749 section
 * 4.4; password because Tessera never lets a client that cannot authenticate collect a password.
 */
const CONFIDENTIAL_ONLY_GRANTS: Partial<Record<GrantType, string>> = {
  client_credentials: 'Client credentials needs a confidential client',
  password: 'The password grant needs a confidential client',
};

/** Hosts on which a redirect URI may use plain http (RFC 8252 sections 7.3 and 8.3, RFC 9700 section 2.6). */
export const LOOPBACK_REDIRECT_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** Schemes that would run or read content in the user agent rather than reach an app. */
const REFUSED_SCHEMES = ['javascript:', 'data:', 'vbscript:', 'blob:', 'file:'];

/**
 * Why `uri` cannot be registered as a redirect (or post-logout redirect) URI, or null. RFC 6749
 * section 3.1.2: an absolute URI (RFC 3986 section 4.3, so no spaces) without a fragment. Then
 * https; plain http only on a loopback host (RFC 8252 section 7.3, RFC 9700 section 2.6); or a
 * native app's private-use scheme named after a domain in reverse order (RFC 8252 section 7.1;
 * section 8.4: a scheme without a period SHOULD be refused, as any app could claim `myapp:`).
 * Schemes that run content in the browser (javascript:, data:, vbscript:, blob:, file:) never are.
 */
export function redirectUriProblem(uri: string): string | null {
  if (uri === '') return 'Enter a URI or remove this row';
  if (uri.length > CLIENT_LIMITS.uriLength) return `At most ${CLIENT_LIMITS.uriLength} characters`;
  if (hasControlCharacters(uri)) return 'Must not contain control characters';
  if (/\s/.test(uri)) return 'Must not contain spaces';
  if (uri.includes('#')) return 'Must not contain a fragment (#…)';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'Must be an absolute URI, e.g. https://app.example.com/callback';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:') {
    return LOOPBACK_REDIRECT_HOSTS.includes(url.hostname)
      ? null
      : `Plain http is allowed only for loopback addresses (${LOOPBACK_REDIRECT_HOSTS.join(', ')}); use https`;
  }
  if (REFUSED_SCHEMES.includes(url.protocol)) return `The ${url.protocol} scheme is not allowed`;
  return url.protocol.includes('.') ? null : 'Must use https, loopback http, or a reverse-domain app scheme (com.example.app:/…)';
}

/**
 * One broken rule. `path` names the field in the normalised metadata (`['redirectUris', 2]`); an
 * adapter renames it for its wire format. `error` is the RFC 7591 section 3.2.2 code a registration
 * endpoint answers with.
 */
export interface ClientMetadataIssue {
  path: (string | number)[];
  message: string;
  error: 'invalid_redirect_uri' | 'invalid_client_metadata';
}

/** The fields the rules read, in the normalised names. */
export interface ClientShape {
  type: ClientType;
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
  grantTypes: readonly GrantType[];
}

/** Every URI of the URI lists present in `metadata` (a PATCH checks only the lists it sends). */
export function redirectUriIssues(metadata: Partial<Pick<ClientShape, 'redirectUris' | 'postLogoutRedirectUris'>>): ClientMetadataIssue[] {
  const issues: ClientMetadataIssue[] = [];
  for (const list of ['redirectUris', 'postLogoutRedirectUris'] as const) {
    metadata[list]?.forEach((uri, index) => {
      const message = redirectUriProblem(uri);
      if (message) issues.push({ path: [list, index], message, error: 'invalid_redirect_uri' });
    });
  }
  return issues;
}

/** The rules that tie fields together: they depend on the client type and its grants. */
export function clientShapeIssues(client: ClientShape): ClientMetadataIssue[] {
  const issues: ClientMetadataIssue[] = [];
  if (client.grantTypes.some((g) => REDIRECTING_GRANTS.includes(g)) && client.redirectUris.length === 0) {
    issues.push({
      path: ['redirectUris'],
      message: 'Add at least one redirect URI for the authorization code or implicit grant',
      error: 'invalid_redirect_uri',
    });
  }
  if (client.type === 'public') {
    for (const grant of new Set(client.grantTypes)) {
      const message = CONFIDENTIAL_ONLY_GRANTS[grant];
      if (message) issues.push({ path: ['grantTypes'], message, error: 'invalid_client_metadata' });
    }
  }
  return issues;
}

/** Every rule a whole registration must keep beyond the types and limits of its fields. */
export function clientMetadataIssues(client: ClientShape): ClientMetadataIssue[] {
  return [...redirectUriIssues(client), ...clientShapeIssues(client)];
}
