import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export { PLATFORM_ADMIN_SCOPE } from '@tessera/tenancy';

/** Who is calling the admin API, from a verified access token of tenant `admin`. */
export interface AdminPrincipal {
  kind: 'client' | 'user';
  subject: string;
  clientId: string;
  scopes: string[];
  jti: string;
  /**
   * Every tenant, every right: a token with scope `platform:admin` whose client holds that scope or
   * whose user still holds role `owner` in tenant `admin`. Everyone else acts by per-tenant roles.
   */
  platformAdmin: boolean;
}

export const Principal = createParamDecorator((_data: unknown, ctx: ExecutionContext): AdminPrincipal => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest & { principal?: AdminPrincipal }>();
  if (!request.principal) throw new Error('Principal used on a route without AdminAuthGuard');
  return request.principal;
});
