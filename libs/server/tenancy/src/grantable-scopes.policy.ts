import { Injectable } from '@nestjs/common';
import { MembersService } from './members.service.js';
import { ADMIN_TENANT_SLUG, PLATFORM_ADMIN_SCOPE } from './tenant.js';

/**
 * Which of the scopes a user asked for (and the client may have) the user may be granted. RFC 6749
 * section 3.3 lets the server grant fewer scopes than requested; the token response's `scope` then
 * says which. Every grant that acts for a user (authorization code, implicit, refresh, password)
 * asks this policy; client_credentials does not, since a client holds what it is configured with.
 *
 * Today's one rule: `platform:admin` of tenant `admin` goes to platform admins only (users holding
 * role `owner` in tenant `admin`), whatever the client may ask for.
 */
@Injectable()
export class GrantableScopesPolicy {
  constructor(private readonly members: MembersService) {}

  async grantable(tenant: { slug: string }, userId: string, scopes: readonly string[]): Promise<string[]> {
    if (tenant.slug !== ADMIN_TENANT_SLUG || !scopes.includes(PLATFORM_ADMIN_SCOPE)) return [...scopes];
    if (await this.members.isPlatformAdmin(userId)) return [...scopes];
    return scopes.filter((scope) => scope !== PLATFORM_ADMIN_SCOPE);
  }
}
