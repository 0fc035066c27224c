import { Get } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { MeView } from '@tessera/contracts';
import { ADMIN_TENANT_SLUG, MembersService, TenantsService } from '@tessera/tenancy';
import { UsersService } from '@tessera/users';
import { AdminApiController } from './admin-api.js';
import { Principal, type AdminPrincipal } from './admin-principal.js';
import { ApiProblems } from './openapi-schema.js';
import { RequireRole } from './require-role.js';

/** Who the admin API takes the caller for: the dashboard shows and hides its controls by this. */
@AdminApiController('me', '/me')
export class MeController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly members: MembersService,
    private readonly users: UsersService,
  ) {}

  @Get()
  @RequireRole('signed-in')
  @ApiOperation({ summary: 'The caller: subject, username, platform admin or not, and a role per tenant' })
  @ApiProblems()
  async me(@Principal() principal: AdminPrincipal): Promise<MeView> {
    const base = { kind: principal.kind, subject: principal.subject, clientId: principal.clientId, platformAdmin: principal.platformAdmin };
    if (principal.kind === 'client') return { ...base, memberships: [] };
    const admin = await this.tenants.get(ADMIN_TENANT_SLUG);
    const [user, memberships] = await Promise.all([this.users.find(admin.id, principal.subject), this.members.membershipsOf(principal.subject)]);
    return {
      ...base,
      ...(user ? { username: user.username } : {}),
      memberships: memberships.map((m) => ({ tenant: m.tenantSlug, role: m.role })),
    };
  }
}
