import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { InsufficientScopeError, InvalidRequestError, InvalidTokenError, OAuthError } from '@tessera/oauth-core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACCOUNT_SCOPE } from '../admin/tenant-provisioning.service.js';
import { sendProblem } from '../http/problem-details.filter.js';

const TITLES: Record<number, string> = { 400: 'Bad request', 401: 'Unauthorized', 403: 'Forbidden', 500: 'Internal server error', 503: 'Service unavailable' };

/**
 * The account API is an API, not an OAuth endpoint: its bearer-token errors answer in problem+json
 * (RFC 9457) like the admin API, with the RFC 6750 section 3 challenge naming the error code.
 * Scoped to the account controllers, so the global OAuthErrorFilter keeps the OAuth endpoints.
 */
@Catch(OAuthError)
export class AccountApiErrorFilter implements ExceptionFilter<OAuthError> {
  catch(error: OAuthError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(
      http.getResponse<FastifyReply>(),
      http.getRequest<FastifyRequest>(),
      { status: error.status, title: TITLES[error.status] ?? 'Error', detail: error.description },
      bearerChallenge(error),
    );
  }
}

/** RFC 6750 section 3: the challenge for the three error codes a protected resource uses. */
function bearerChallenge(error: OAuthError): string | undefined {
  if (!(error instanceof InvalidTokenError || error instanceof InsufficientScopeError || error instanceof InvalidRequestError)) return undefined;
  const description = error.description.replace(/["\\]/g, '');
  const scope = error instanceof InsufficientScopeError ? `, scope="${ACCOUNT_SCOPE}"` : '';
  return `Bearer realm="tessera", error="${error.error}", error_description="${description}"${scope}`;
}
