import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DomainError, ValidationFailedError, type ProblemDetails } from '@tessera/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isOAuthPath, oauthErrorFor } from './error-shape.js';
import { sendOAuthError } from './oauth-error.filter.js';

/**
 * Writes every RFC 9457 problem+json body for typed domain errors. A domain error raised under an
 * OAuth endpoint (an unknown tenant at its token endpoint, a store that is down) still answers in
 * RFC 6749 form there, with the same status: OAuth clients read nothing else.
 */
@Catch(DomainError)
export class ProblemDetailsFilter implements ExceptionFilter<DomainError> {
  catch(error: DomainError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (isOAuthPath(request.url)) {
      return sendOAuthError(http.getResponse<FastifyReply>(), oauthErrorFor(error.status, error.detail), error.status);
    }
    sendProblem(http.getResponse<FastifyReply>(), request, {
      status: error.status,
      title: error.title,
      detail: error.detail,
      errors: error instanceof ValidationFailedError ? error.errors : undefined,
    });
  }
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
