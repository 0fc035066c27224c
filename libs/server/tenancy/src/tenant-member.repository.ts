import type { Page, TenantRole } from '@tessera/contracts';
import type { MemberChange, Membership, TenantMember } from './tenant-member.js';

/** Storage port for tenant memberships of admin users (implemented in `@tessera/persistence`). */
export abstract class TenantMemberRepository {
  /** Inserts; throws ConflictError when the user already holds a role in the tenant. */
  abstract add(member: { tenantId: string; userId: string; role: TenantRole }): Promise<TenantMember>;
  abstract find(tenantId: string, userId: string): Promise<TenantMember | null>;
  /** Oldest first. */
  abstract list(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<TenantMember>>;
  /**
   * Changes a role, unless that demotes the tenant's last owner (`last_owner`). Atomic against
   * concurrent changes of the same tenant's owners.
   */
  abstract changeRole(tenantId: string, userId: string, role: TenantRole): Promise<MemberChange>;
  /** Removes a member, unless it is the tenant's last owner (`last_owner`); atomic as changeRole. */
  abstract remove(tenantId: string, userId: string): Promise<MemberChange>;
  /** Every tenant where the user (of tenant `adminTenantId`) holds a role, ordered by slug. */
  abstract membershipsOf(adminTenantId: string, userId: string): Promise<Membership[]>;
}
