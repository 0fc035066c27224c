import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { OAuthError } from '@tessera/oauth-core';
import { isDatabaseUnavailableError } from '@tessera/persistence';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isOAuthPath, isPagePath, oauthErrorFor, sendErrorPage } from './error-shape.js';
import { sendOAuthError } from './oauth-error.filter.js';
import { sendProblem } from './problem-details.filter.js';

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/**
 * The last resort for anything not typed: Nest's HTTP exceptions (unknown routes, ...), Fastify's
 * own errors (malformed bodies, content types, and, through `frameworkErrors`, URLs the router
 * refuses), PostgreSQL being unreachable (503, recognised by error type and code) and bugs. A bug
 * is logged with its stack and answered without one.
 */
@Catch()
export class FallbackFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    handleUntypedError(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}

/** Seconds a client should wait after a 503 for an unreachable database. */
const DATABASE_RETRY_AFTER_S = 5;

export function handleUntypedError(error: unknown, request: FastifyRequest, reply: FastifyReply, logger: Pick<Logger, 'error'>): void {
  if (isDatabaseUnavailableError(error)) {
    const code = (error as { code?: unknown }).code;
    logger.error(`database unavailable (${error instanceof Error ? error.name : 'error'}${typeof code === 'string' ? ` ${code}` : ''}): answering 503`);
    if (isPagePath(request.url)) {
      return sendErrorPage(reply, 503, 'The sign-in service is temporarily unavailable. Try again in a few seconds.', DATABASE_RETRY_AFTER_S);
    }
    if (isOAuthPath(request.url)) return sendOAuthError(reply, oauthErrorFor(503, 'the database is unavailable; try again shortly', DATABASE_RETRY_AFTER_S));
    reply.header('Retry-After', String(DATABASE_RETRY_AFTER_S));
    return sendProblem(reply, request, { status: 503, title: STATUS_TITLES[503]!, detail: 'A backing store is unavailable; try again shortly.' });
  }
  const status = statusOf(error);
  if (status >= 500) logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  // The authorization, login, consent and logout pages talk to browsers: an HTML page, never JSON
  // (and never a redirect: whatever failed here failed before the redirect URI could be trusted).
  if (isPagePath(request.url)) {
    return sendErrorPage(reply, status, status >= 500 ? 'The sign-in service could not complete the request.' : describeClientError(status));
  }
  if (isOAuthPath(request.url)) {
    if (error instanceof OAuthError) return sendOAuthError(reply, error);
    return sendOAuthError(reply, oauthErrorFor(status, describeClientError(status)), status);
  }
  const detail = status >= 500 ? 'The server could not complete the request.' : describeClientError(status);
  sendProblem(reply, request, {
    status,
    title: STATUS_TITLES[status] ?? 'Error',
    detail,
    // CONTRACT.md: every 400 names what was wrong in `errors`, also when no schema got to see the request.
    errors: status === 400 ? [{ field: malformedPart(error), message: detail }] : undefined,
  });
}

/** Which part of a request Fastify refused: the body its parser could not read, or the URL its router could not. */
function malformedPart(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('FST_ERR_CTP_')) return '(body)';
  return code === 'FST_ERR_BAD_URL' ? '(url)' : '(request)';
}

function statusOf(error: unknown): number {
  if (error instanceof HttpException) return error.getStatus();
  const code = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof code === 'number' && code >= 400 && code < 600) return code;
  return 500;
}

function describeClientError(status: number): string {
  switch (status) {
    case 404:
      return 'No such resource.';
    case 405:
      return 'This method is not allowed here.';
    case 413:
      return 'The request body is too large.';
    case 414:
      return 'The request URI is too long.';
    case 415:
      return 'The request has an unsupported content type.';
    default:
      return 'The request is malformed.';
  }
}
