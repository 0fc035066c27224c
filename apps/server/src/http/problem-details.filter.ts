import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DomainError, ValidationFailedError, type ProblemDetails } from '@tessera/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isOAuthPath, isPagePath, oauthErrorFor, sendErrorPage } from './error-shape.js';
import { sendOAuthError } from './oauth-error.filter.js';

/**
 * Writes every RFC 9457 problem+json body for typed domain errors. A domain error raised under an
 * OAuth endpoint (an unknown tenant at its token endpoint, a store that is down) still answers in
 * RFC 6749 form there, with the same status: OAuth clients read nothing else. A store that is down
 * or a limit under a page a browser shows (login, consent, authorization endpoint) is an HTML page.
 * 429 and 503 carry Retry-After.
 */
@Catch(DomainError)
export class ProblemDetailsFilter implements ExceptionFilter<DomainError> {
  catch(error: DomainError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if ((error.status === 503 || error.status === 429) && isPagePath(request.url)) {
      return sendErrorPage(reply, error.status, pageDetail(error.status), error.retryAfterSeconds);
    }
    if (isOAuthPath(request.url)) {
      return sendOAuthError(reply, oauthErrorFor(error.status, error.detail, error.retryAfterSeconds), error.status);
    }
    if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds));
    sendProblem(reply, request, {
      status: error.status,
      title: error.title,
      detail: error.detail,
      errors: error instanceof ValidationFailedError ? error.errors : undefined,
    });
  }
}

function pageDetail(status: number): string {
  return status === 429
    ? 'There were too many attempts. Wait a little, then try again.'
    : 'The sign-in service is temporarily unavailable. Try again in a few seconds.';
}

/** `challenge` replaces the default 401 `WWW-Authenticate` (RFC 6750 section 3 for bearer-token APIs). */
export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  problem: Omit<ProblemDetails, 'type' | 'instance'> & { type?: string },
  challenge?: string,
): void {
  const body: ProblemDetails = {
    type: problem.type ?? 'about:blank',
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance: request.url.split('?')[0],
  };
  if (problem.errors) body.errors = problem.errors;
  if (challenge !== undefined) reply.header('WWW-Authenticate', challenge);
  else if (problem.status === 401) reply.header('WWW-Authenticate', 'Bearer realm="tessera"');
  reply.status(problem.status).header('Cache-Control', 'no-store').type('application/problem+json; charset=utf-8').send(body);
}
