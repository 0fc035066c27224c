import { Injectable } from '@nestjs/common';
import {
  ConflictError,
  isUuid,
  NotFoundError,
  ValidationFailedError,
  type AddMemberInput,
  type Page,
  type TenantRole,
} from '@tessera/contracts';
import { UsersService } from '@tessera/users';
import { ADMIN_TENANT_SLUG, type Tenant } from './tenant.js';
import type { MemberChange, Membership, TenantMember } from './tenant-member.js';
import { TenantMemberRepository } from './tenant-member.repository.js';
import { TenantsService } from './tenants.service.js';

/**
 * Which admin users (users of tenant `admin`) hold which role in which tenant. An `owner` of tenant
 * `admin` is a platform admin; tenant `admin` has no other roles, because any right there (its
 * users, its clients) is a way to every other tenant.
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly repository: TenantMemberRepository,
    private readonly tenants: TenantsService,
    private readonly users: UsersService,
  ) {}

  list(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<TenantMember>> {
    return this.repository.list(tenantId, page);
  }

  async roleOf(tenantId: string, userId: string): Promise<TenantRole | null> {
    if (!isUuid(userId)) return null;
    return (await this.repository.find(tenantId, userId))?.role ?? null;
  }

  /** Every tenant where the admin user holds a role. */
  async membershipsOf(userId: string): Promise<Membership[]> {
    const admin = await this.adminTenant();
    return isUuid(userId) ? this.repository.membershipsOf(admin.id, userId) : [];
  }

  /** A platform admin: a user of tenant `admin` holding role `owner` there. */
  async isPlatformAdmin(userId: string): Promise<boolean> {
    return (await this.roleOf((await this.adminTenant()).id, userId)) === 'owner';
  }

  /** Gives an admin user, named by id or username, a role in the tenant. */
  async add(tenant: Tenant, input: AddMemberInput): Promise<TenantMember> {
    this.checkRole(tenant, input.role);
    const admin = await this.adminTenant();
    const user =
      input.userId !== undefined
        ? await this.users.find(admin.id, input.userId)
        : await this.users.findByUsername(admin.id, input.username!);
    if (!user) {
      const field = input.userId !== undefined ? 'userId' : 'username';
      throw new ValidationFailedError([{ field, message: `names no user of tenant ${ADMIN_TENANT_SLUG}` }]);
    }
    return this.repository.add({ tenantId: tenant.id, userId: user.id, role: input.role });
  }

  async changeRole(tenant: Tenant, userId: string, role: TenantRole): Promise<{ member: TenantMember; previousRole: TenantRole }> {
    this.checkRole(tenant, role);
    const before = await this.get(tenant, userId);
    const change = this.settle(tenant, userId, await this.repository.changeRole(tenant.id, userId, role));
    return { member: change ?? { ...before, role }, previousRole: before.role };
  }

  async remove(tenant: Tenant, userId: string): Promise<TenantMember> {
    const before = await this.get(tenant, userId);
    this.settle(tenant, userId, await this.repository.remove(tenant.id, userId));
    return before;
  }

  async get(tenant: Tenant, userId: string): Promise<TenantMember> {
    const member = isUuid(userId) ? await this.repository.find(tenant.id, userId) : null;
    if (!member) throw new NotFoundError(`user ${userId} is not a member of tenant ${tenant.slug}`);
    return member;
  }

  /** Grants role `owner` of tenant `admin`: used when the platform creates its first admin. */
  async makePlatformAdmin(userId: string): Promise<void> {
    const admin = await this.adminTenant();
    try {
      await this.repository.add({ tenantId: admin.id, userId, role: 'owner' });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  private checkRole(tenant: Tenant, role: TenantRole): void {
    if (tenant.slug === ADMIN_TENANT_SLUG && role !== 'owner') {
      throw new ValidationFailedError([
        { field: 'role', message: `tenant ${ADMIN_TENANT_SLUG} has owners (platform admins) only: any lesser right there reaches every tenant` },
      ]);
    }
  }

  private settle(tenant: Tenant, userId: string, change: MemberChange): TenantMember | null {
    if (change.outcome === 'not_found') throw new NotFoundError(`user ${userId} is not a member of tenant ${tenant.slug}`);
    if (change.outcome === 'last_owner') {
      throw new ConflictError(`user ${userId} is the last owner of tenant ${tenant.slug}: make another member owner first`);
    }
    return change.member;
  }

  private async adminTenant(): Promise<Tenant> {
    const admin = await this.tenants.resolve(ADMIN_TENANT_SLUG);
    if (!admin) throw new NotFoundError(`tenant ${ADMIN_TENANT_SLUG} does not exist`);
    return admin;
  }
}
