import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Who is calling the admin API, from a verified access token of tenant `admin`. */
export interface AdminPrincipal {
  kind: 'client' | 'user';
  subject: string;
  clientId: string;
  scopes: string[];
  jti: string;
}

export const PLATFORM_ADMIN_SCOPE = 'platform:admin';

export const Principal = createParamDecorator((_data: unknown, ctx: ExecutionContext): AdminPrincipal => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest & { principal?: AdminPrincipal }>();
  if (!request.principal) throw new Error('Principal used on a route without AdminAuthGuard');
  return request.principal;
});
