import { InvalidRequestError, rejectRepeated } from '@tessera/oauth-core';
import type { FastifyRequest } from 'fastify';

/**
 * RFC 6749 section 3.2 (and RFC 7009 / 7662): token, revocation and introspection requests are
 * `application/x-www-form-urlencoded` POSTs whose parameters appear once.
 */
export function formBody(request: FastifyRequest): Record<string, unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new InvalidRequestError('the request body must be application/x-www-form-urlencoded');
  }
  const body = request.body;
  if (body === null || body === undefined) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new InvalidRequestError('request parameters are malformed');
  rejectRepeated(body);
  return body as Record<string, unknown>;
}
