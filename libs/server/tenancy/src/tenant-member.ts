import type { TenantRole } from '@tessera/contracts';

/** An admin user (a user of tenant `admin`) holding a role in one tenant. */
export interface TenantMember {
  tenantId: string;
  userId: string;
  role: TenantRole;
  createdAt: Date;
  username: string;
  email: string | null;
}

/** A tenant where an admin user holds a role. */
export interface Membership {
  tenantId: string;
  tenantSlug: string;
  role: TenantRole;
}

/** The outcome of a change that must leave a tenant that had an owner with at least one. */
export type MemberChange = { outcome: 'done'; member: TenantMember | null } | { outcome: 'not_found' } | { outcome: 'last_owner' };
