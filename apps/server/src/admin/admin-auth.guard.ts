import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ForbiddenError, UnauthenticatedError } from '@tessera/contracts';
import { ADMIN_TENANT_SLUG, TenantsService } from '@tessera/tenancy';
import { IntrospectionService } from '@tessera/tokens';
import type { FastifyRequest } from 'fastify';
import { PLATFORM_ADMIN_SCOPE, type AdminPrincipal } from './admin-principal.js';

/**
 * The admin API accepts bearer access tokens (RFC 6750) issued by tenant `admin` that are live
 * (signature, expiry, revocation, client). Platform-wide rights need scope `platform:admin`;
 * per-tenant roles for dashboard users come with the dashboard.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(
    private readonly tenants: TenantsService,
    private readonly introspection: IntrospectionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: AdminPrincipal }>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header) : null;
    if (!match) throw new UnauthenticatedError('a bearer access token of tenant admin is required');
    const adminTenant = await this.tenants.resolve(ADMIN_TENANT_SLUG);
    const claims = adminTenant ? await this.introspection.activeClaims(this.tenants.context(adminTenant), match[1]!) : null;
    if (!claims) throw new UnauthenticatedError('the access token is invalid, expired or revoked');
    const scopes = claims.scope.split(' ');
    if (!scopes.includes(PLATFORM_ADMIN_SCOPE)) throw new ForbiddenError(`the token lacks scope ${PLATFORM_ADMIN_SCOPE}`);
    request.principal = {
      kind: claims.sub === claims.client_id ? 'client' : 'user',
      subject: claims.sub,
      clientId: claims.client_id,
      scopes,
      jti: claims.jti,
    };
    return true;
  }
}
