import { z } from 'zod';
import { withoutControlCharacters } from './text.schema.js';

/**
 * An admin user's role in one tenant (CONTRACT.md, Admin API): `owner` may do everything in the
 * tenant, members included; `admin` everything but members and deleting the tenant; `viewer` reads.
 */
export const TENANT_ROLES = ['owner', 'admin', 'viewer'] as const;
export const tenantRoleSchema = z.enum(TENANT_ROLES);
export type TenantRole = z.infer<typeof tenantRoleSchema>;

const RANK: Readonly<Record<TenantRole, number>> = { viewer: 1, admin: 2, owner: 3 };

/** Whether `held` includes every right of `needed` (owner ⊃ admin ⊃ viewer). */
export function roleIncludes(held: TenantRole, needed: TenantRole): boolean {
  return RANK[held] >= RANK[needed];
}

/**
 * `POST /tenants/{slug}/members`: names an admin user (a user of tenant `admin`) by id or by
 * username, exactly one of the two.
 */
export const addMemberSchema = z
  .object({
    userId: z.string().uuid('must be a user id').optional(),
    username: withoutControlCharacters(z.string().trim().min(1).max(200)).optional(),
    role: tenantRoleSchema,
  })
  .strict()
  .refine((v) => (v.userId === undefined) !== (v.username === undefined), {
    message: 'give either userId or username',
    path: ['userId'],
  });
export type AddMemberInput = z.infer<typeof addMemberSchema>;

/** `PATCH /tenants/{slug}/members/{userId}`. */
export const updateMemberSchema = z.object({ role: tenantRoleSchema }).strict();
export type UpdateMemberInput = z.infer<typeof updateMemberSchema>;

/** An admin user and their role in one tenant. */
export interface MemberView {
  userId: string;
  username: string;
  email: string | null;
  role: TenantRole;
  createdAt: string;
}

/** A tenant where the caller holds a role. */
export interface MembershipView {
  tenant: string;
  role: TenantRole;
}

/** `GET /me`: who the admin API takes the caller for, and what it may see. */
export interface MeView {
  kind: 'client' | 'user';
  /** The user id, or the client id of a client token. */
  subject: string;
  clientId: string;
  username?: string;
  /** Scope `platform:admin` and, for a user, role `owner` in tenant `admin`: every tenant, every right. */
  platformAdmin: boolean;
  memberships: MembershipView[];
}
