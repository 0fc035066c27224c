import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { InsufficientScopeError, InvalidBearerRequestError, InvalidClientError, InvalidTokenError, OAuthError } from '@tessera/oauth-core';
import type { FastifyReply } from 'fastify';

/** Writes every RFC 6749 section 5.2 error body: the one place OAuth errors become responses. */
@Catch(OAuthError)
export class OAuthErrorFilter implements ExceptionFilter<OAuthError> {
  catch(error: OAuthError, host: ArgumentsHost): void {
    sendOAuthError(host.switchToHttp().getResponse<FastifyReply>(), error);
  }
}

/** `status` overrides the error's own status, for errors translated from another shape. */
export function sendOAuthError(reply: FastifyReply, error: OAuthError, status = error.status): void {
  reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
  // RFC 9110 section 10.2.3 / RFC 6585 section 4: when to come back after a 503 or 429.
  if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds));
  if (error instanceof InvalidClientError) {
    // RFC 6749 section 5.2: 401 (the error's status) with a challenge matching the scheme the client used.
    if (error.basicScheme) reply.header('WWW-Authenticate', 'Basic realm="tessera", charset="UTF-8"');
  }
  if (error instanceof InvalidTokenError && !error.credentialsPresent) {
    reply.header('WWW-Authenticate', 'Bearer realm="tessera"');
  } else if (error instanceof InvalidTokenError || error instanceof InsufficientScopeError || error instanceof InvalidBearerRequestError) {
    // RFC 6750 section 3: a protected resource answers with a Bearer challenge naming the error.
    reply.header('WWW-Authenticate', `Bearer realm="tessera", error="${error.error}", error_description="${error.description.replace(/["\\]/g, '')}"`);
  }
  reply
    .status(status)
    .type('application/json; charset=utf-8')
    .send({ error: error.error, error_description: error.description });
}
