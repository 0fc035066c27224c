import { InvalidBearerRequestError, InvalidTokenError } from '@tessera/oauth-core';
import type { FastifyRequest } from 'fastify';

/** RFC 6750 section 2.1: `Authorization: Bearer <token>` (the header method only; no tokens in URLs). */
export function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (header === undefined) throw new InvalidTokenError('a bearer access token is required', false);
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header);
  if (!match) throw new InvalidBearerRequestError('the Authorization header is not a bearer token');
  return match[1]!;
}
