import { InvalidRequestError, ServerError, TemporarilyUnavailableError, type OAuthError } from '@tessera/oauth-core';

/** Paths that answer in RFC 6749 error JSON; everything else answers problem+json. */
export function isOAuthPath(url: string): boolean {
  return /^\/t\/[^/]+\/oauth2\//.test(url);
}

/**
 * The RFC 6749 section 5.2 error for a failure that is not an OAuthError but happened under an
 * OAuth endpoint (an unknown tenant, a body Fastify refused, a store that is down): the caller is an
 * OAuth client and reads only `error` and `error_description`. The HTTP status is kept by the caller.
 */
export function oauthErrorFor(status: number, description: string): OAuthError {
  if (status === 503) return new TemporarilyUnavailableError(description);
  if (status >= 500) return new ServerError('the server could not complete the request');
  return new InvalidRequestError(description);
}
