import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, NotFoundError, roleIncludes, UnauthenticatedError } from '@tessera/contracts';
import { ADMIN_TENANT_SLUG, MembersService, TenantsService } from '@tessera/tenancy';
import { IntrospectionService } from '@tessera/tokens';
import type { FastifyRequest } from 'fastify';
import { PLATFORM_ADMIN_SCOPE, type AdminPrincipal } from './admin-principal.js';
import { DASHBOARD_CLIENT_ID } from './platform-bootstrap.service.js';
import { ADMIN_ACCESS, type AdminAccess } from './require-role.js';

type AdminRequest = FastifyRequest & { principal?: AdminPrincipal };

/**
 * The admin API accepts bearer access tokens (RFC 6750) issued by tenant `admin` that are live
 * (signature, expiry, revocation, client), and then checks what the route declares with
 * `@RequireRole` (CONTRACT.md, Admin API):
 * - scope `platform:admin` (a client holding it, or a user who is still a platform admin): everything;
 * - an admin user signed in through the `dashboard` client without that scope: their role in the
 *   tenant of the route's `:slug`. A tenant where they hold no role answers 404, as an unknown one
 *   would, so that its existence does not leak; a role too weak for the route answers 403.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly logger = new Logger('admin-auth');

  constructor(
    private readonly reflector: Reflector,
    private readonly tenants: TenantsService,
    private readonly members: MembersService,
    private readonly introspection: IntrospectionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const principal = await this.authenticate(request);
    request.principal = principal;
    const access = this.reflector.getAllAndOverride<AdminAccess | undefined>(ADMIN_ACCESS, [context.getHandler(), context.getClass()]);
    if (access === undefined) {
      // Fail closed: a route that forgot its @RequireRole is nobody's (admin-access.spec.ts catches it first).
      this.logger.error(`admin route ${context.getClass().name}.${context.getHandler().name} declares no @RequireRole`);
      throw new ForbiddenError('this route declares no access rule');
    }
    await this.authorize(request, principal, access);
    return true;
  }

  private async authenticate(request: AdminRequest): Promise<AdminPrincipal> {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header) : null;
    if (!match) throw new UnauthenticatedError('a bearer access token of tenant admin is required');
    const adminTenant = await this.tenants.resolve(ADMIN_TENANT_SLUG);
    const claims = adminTenant ? await this.introspection.activeClaims(this.tenants.context(adminTenant), match[1]!) : null;
    if (!claims) throw new UnauthenticatedError('the access token is invalid, expired or revoked');
    const scopes = claims.scope.split(' ');
    const kind = claims.sub === claims.client_id ? 'client' : 'user';
    // A user's platform:admin is checked again here, so that removing the role takes effect at once
    // rather than when the token expires.
    const platformAdmin = scopes.includes(PLATFORM_ADMIN_SCOPE) && (kind === 'client' || (await this.members.isPlatformAdmin(claims.sub)));
    if (!platformAdmin && (kind === 'client' || claims.client_id !== DASHBOARD_CLIENT_ID)) {
      throw new ForbiddenError(`the token lacks scope ${PLATFORM_ADMIN_SCOPE}`);
    }
    return { kind, subject: claims.sub, clientId: claims.client_id, scopes, jti: claims.jti, platformAdmin };
  }

  private async authorize(request: AdminRequest, principal: AdminPrincipal, access: AdminAccess): Promise<void> {
    if (access === 'signed-in' || principal.platformAdmin) return;
    if (access === 'platform') throw new ForbiddenError('only a platform admin may do this');
    const slug = (request.params as Record<string, unknown> | undefined)?.['slug'];
    if (typeof slug !== 'string') throw new Error(`@RequireRole('${access}') on a route without :slug`);
    const tenant = await this.tenants.resolve(slug);
    const role = tenant ? await this.members.roleOf(tenant.id, principal.subject) : null;
    // The same answer as for a tenant that does not exist (TenantsService.get).
    if (!role) throw new NotFoundError(`tenant ${slug} does not exist`);
    if (!roleIncludes(role, access)) throw new ForbiddenError(`role ${role} in tenant ${slug} may not do this: it needs ${access}`);
  }
}
