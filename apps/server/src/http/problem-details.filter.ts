import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DomainError, ValidationFailedError, type ProblemDetails } from '@tessera/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Writes every RFC 9457 problem+json body for typed domain errors. */
@Catch(DomainError)
export class ProblemDetailsFilter implements ExceptionFilter<DomainError> {
  catch(error: DomainError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getResponse<FastifyReply>(), http.getRequest<FastifyRequest>(), {
      status: error.status,
      title: error.title,
      detail: error.detail,
      errors: error instanceof ValidationFailedError ? error.errors : undefined,
    });
  }
}

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  problem: Omit<ProblemDetails, 'type' | 'instance'> & { type?: string },
): void {
  const body: ProblemDetails = {
    type: problem.type ?? 'about:blank',
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance: request.url.split('?')[0],
  };
  if (problem.errors) body.errors = problem.errors;
  if (problem.status === 401) reply.header('WWW-Authenticate', 'Bearer realm="tessera"');
  reply.status(problem.status).header('Cache-Control', 'no-store').type('application/problem+json; charset=utf-8').send(body);
}
