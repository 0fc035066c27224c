import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { TooManyRequestsError } from '@tessera/contracts';
import { ADMIN_TENANT_SLUG } from '@tessera/tenancy';
import { RateLimiter } from '@tessera/throttling';
import type { FastifyRequest } from 'fastify';

const ADMIN_API_PREFIX = '/admin/api/';

/**
 * The admin API's rate limit, per bearer token (counted by the token's digest, before the token is
 * even checked, so that a flood of requests costs no introspection): tenant `admin`'s
 * `rateLimits.adminApiPerToken`. A global guard, so it runs before the admin API's own guards and
 * needs nothing from its controllers. Requests without a bearer token are left to AdminAuthGuard (401).
 */
@Injectable()
export class AdminRateLimitGuard implements CanActivate {
  constructor(private readonly limits: RateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!request.url.startsWith(ADMIN_API_PREFIX)) return true;
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer (\S{1,4096})$/i.exec(header) : null;
    if (!match) return true;
    const exceeded = await this.limits.consume(ADMIN_TENANT_SLUG, 'adminApiPerToken', match[1]!);
    if (exceeded) throw new TooManyRequestsError('too many admin API requests with this token; retry later', exceeded.retryAfterSeconds);
    return true;
  }
}
