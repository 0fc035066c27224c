import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { NotFoundError, UnauthenticatedError } from '@tessera/contracts';
import { InsufficientScopeError, InvalidTokenError } from '@tessera/oauth-core';
import { TenantsService } from '@tessera/tenancy';
import { IntrospectionService } from '@tessera/tokens';
import { UsersService } from '@tessera/users';
import { ACCOUNT_SCOPE } from '../admin/tenant-provisioning.service.js';
import { bearerToken } from '../oauth/bearer-token.js';
import type { AccountRequest } from './account-principal.js';

/**
 * The account API is a protected resource of each tenant (RFC 6750): a live access token of that
 * tenant, issued to a user, with scope `account`. Token errors are OAuth errors, so the account
 * API's filter can answer them with the matching Bearer challenge.
 */
@Injectable()
export class AccountAuthGuard implements CanActivate {
  constructor(
    private readonly tenants: TenantsService,
    private readonly introspection: IntrospectionService,
    private readonly users: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AccountRequest>();
    const slug = (request.params as Record<string, string | undefined>)['tenant'] ?? '';
    const tenant = await this.tenants.resolve(slug);
    if (!tenant) throw new NotFoundError('no such tenant');
    // RFC 6750 section 3.1: a request without credentials gets a challenge without an error code.
    if (request.headers.authorization === undefined) throw new UnauthenticatedError('a bearer access token is required');
    const tenantContext = this.tenants.context(tenant);
    const claims = await this.introspection.activeClaims(tenantContext, bearerToken(request));
    if (!claims) throw new InvalidTokenError('the access token is invalid, expired or revoked');
    if (!claims.scope.split(' ').includes(ACCOUNT_SCOPE)) throw new InsufficientScopeError(`the access token lacks scope ${ACCOUNT_SCOPE}`);
    const user = await this.users.find(tenant.id, claims.sub);
    if (!user || user.disabled) throw new InvalidTokenError('the access token was not issued to a current user of this tenant');
    request.accountPrincipal = { tenant: tenantContext, userId: user.id, clientId: claims.client_id };
    return true;
  }
}
