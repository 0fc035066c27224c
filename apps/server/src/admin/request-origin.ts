import type { RequestOrigin } from '@tessera/audit';
import type { FastifyRequest } from 'fastify';
import type { AdminPrincipal } from './admin-principal.js';

export function originOf(request: FastifyRequest, principal: AdminPrincipal): RequestOrigin {
  return {
    actor: { type: principal.kind === 'client' ? 'client' : 'admin', id: principal.subject, label: principal.clientId },
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
  };
}
