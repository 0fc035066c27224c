import { InvalidRequestError, RateLimitedError, ServerError, TemporarilyUnavailableError, type OAuthError } from '@tessera/oauth-core';
import { ServiceUnavailableError } from '@tessera/contracts';
import { isDatabaseUnavailableError } from '@tessera/persistence';
import type { FastifyReply } from 'fastify';
import type { Branding } from '../interaction/html.js';
import { PageRenderer } from '../interaction/page.renderer.js';
import { errorPage } from '../interaction/pages.js';

/** A store (Redis or PostgreSQL) that cannot answer now: 503, or `temporarily_unavailable` by redirect. */
export function isUnavailableError(error: unknown): boolean {
  return error instanceof ServiceUnavailableError || isDatabaseUnavailableError(error);
}

/** Paths that answer in RFC 6749 error JSON; everything else answers problem+json. */
export function isOAuthPath(url: string): boolean {
  return /^\/t\/[^/]+\/oauth2\//.test(url);
}

/**
 * Paths a browser shows (authorization endpoint, login and consent pages, logout): an error that
 * cannot go back to the client by redirect is an HTML page there, never JSON.
 */
export function isPagePath(url: string): boolean {
  return /^\/t\/[^/]+\/(?:interaction\/|oauth2\/(?:authorize|logout)(?:[?#]|$))/.test(url);
}

/**
 * The RFC 6749 section 5.2 error for a failure that is not an OAuthError but happened under an
 * OAuth endpoint (an unknown tenant, a body Fastify refused, a store that is down): the caller is an
 * OAuth client and reads only `error` and `error_description`. The HTTP status is kept by the caller.
 */
export function oauthErrorFor(status: number, description: string, retryAfterSeconds?: number): OAuthError {
  if (status === 429) return new RateLimitedError(description, retryAfterSeconds ?? 1);
  if (status === 503) return new TemporarilyUnavailableError(description, retryAfterSeconds);
  if (status >= 500) return new ServerError('the server could not complete the request');
  return new InvalidRequestError(description);
}

const PLAIN_BRANDING: Branding = { displayName: 'Tessera', logoUrl: null, primaryColor: null };
const pages = new PageRenderer();

/** An HTML error page for a failure outside any controller's own page handling (a store down, a limit). */
export function sendErrorPage(reply: FastifyReply, status: number, detail: string, retryAfterSeconds?: number): void {
  if (retryAfterSeconds !== undefined) reply.header('Retry-After', String(retryAfterSeconds));
  const title = status === 429 ? 'Too many attempts' : status === 503 ? 'Temporarily unavailable' : 'Something went wrong';
  pages.send(reply, errorPage(PLAIN_BRANDING, title, detail, status));
}
