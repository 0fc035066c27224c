import type { Page, TenantRole } from '@tessera/contracts';
import { TenantMemberRepository, type MemberChange, type Membership, type TenantMember } from '@tessera/tenancy';
import type { DataSource, EntityManager } from 'typeorm';
import { conflictOnDuplicate, decodeCursor, encodeCursor } from './keyset-page.js';

interface MemberRow {
  tenant_id: string;
  user_id: string;
  role: TenantRole;
  created_at: Date;
  created_at_text: string;
  username: string;
  email: string | null;
}

/** Members with the username and email of their user (of tenant `admin`), in one query. */
const SELECT_MEMBERS = `
  SELECT m.tenant_id, m.user_id, m.role, m.created_at,
         to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_text,
         u.username, u.email
    FROM tenant_members m
    JOIN users u ON u.id = m.user_id`;

export class TypeOrmTenantMemberRepository extends TenantMemberRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async add(member: { tenantId: string; userId: string; role: TenantRole }): Promise<TenantMember> {
    try {
      await this.dataSource.query(`INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, $3)`, [
        member.tenantId,
        member.userId,
        member.role,
      ]);
    } catch (error) {
      conflictOnDuplicate(error, `user ${member.userId} already holds a role in this tenant`);
    }
    return (await this.find(member.tenantId, member.userId))!;
  }

  find(tenantId: string, userId: string): Promise<TenantMember | null> {
    return findMember(this.dataSource.manager, tenantId, userId);
  }

  /** Keyset pagination over (created_at, user_id), oldest first. */
  async list(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<TenantMember>> {
    const params: unknown[] = [tenantId, page.limit + 1];
    let after = '';
    if (page.cursor !== undefined) {
      const [createdAt, userId] = decodeCursor(page.cursor);
      params.push(createdAt, userId);
      after = ' AND (m.created_at, m.user_id::text) > ($3::timestamptz, $4)';
    }
    const rows = (await this.dataSource.query(
      `${SELECT_MEMBERS} WHERE m.tenant_id = $1${after} ORDER BY m.created_at, m.user_id::text LIMIT $2`,
      params,
    )) as MemberRow[];
    const more = rows.length > page.limit;
    const items = more ? rows.slice(0, page.limit) : rows;
    const last = items[items.length - 1];
    return { items: items.map(toMember), next: more && last ? encodeCursor(last.created_at_text, last.user_id) : null };
  }

  changeRole(tenantId: string, userId: string, role: TenantRole): Promise<MemberChange> {
    return this.guardingLastOwner(tenantId, userId, role !== 'owner', async (manager) => {
      await manager.query(`UPDATE tenant_members SET role = $3 WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId, role]);
      return findMember(manager, tenantId, userId);
    });
  }

  remove(tenantId: string, userId: string): Promise<MemberChange> {
    return this.guardingLastOwner(tenantId, userId, true, async (manager) => {
      await manager.query(`DELETE FROM tenant_members WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId]);
      return null;
    });
  }

  async membershipsOf(adminTenantId: string, userId: string): Promise<Membership[]> {
    const rows = (await this.dataSource.query(
      `SELECT t.id AS tenant_id, t.slug, m.role
         FROM tenant_members m
         JOIN tenants t ON t.id = m.tenant_id
         JOIN users u ON u.id = m.user_id
        WHERE m.user_id = $2 AND u.tenant_id = $1
        ORDER BY t.slug`,
      [adminTenantId, userId],
    )) as { tenant_id: string; slug: string; role: TenantRole }[];
    return rows.map((r) => ({ tenantId: r.tenant_id, tenantSlug: r.slug, role: r.role }));
  }

  /**
   * Runs `change` unless it would take away the tenant's last owner. The tenant's owner rows are
   * locked first (SELECT ... FOR UPDATE), so two concurrent demotions of the last two owners run one
   * after the other and the second sees a single owner left.
   */
  private guardingLastOwner(
    tenantId: string,
    userId: string,
    takesOwnership: boolean,
    change: (manager: EntityManager) => Promise<TenantMember | null>,
  ): Promise<MemberChange> {
    return this.dataSource.transaction(async (manager) => {
      const owners = (await manager.query(
        `SELECT user_id FROM tenant_members WHERE tenant_id = $1 AND role = 'owner' ORDER BY user_id FOR UPDATE`,
        [tenantId],
      )) as { user_id: string }[];
      const target = (await manager.query(`SELECT role FROM tenant_members WHERE tenant_id = $1 AND user_id = $2 FOR UPDATE`, [
        tenantId,
        userId,
      ])) as { role: TenantRole }[];
      if (target.length === 0) return { outcome: 'not_found' };
      if (takesOwnership && target[0]!.role === 'owner' && owners.length <= 1) return { outcome: 'last_owner' };
      return { outcome: 'done', member: await change(manager) };
    });
  }
}

async function findMember(manager: EntityManager, tenantId: string, userId: string): Promise<TenantMember | null> {
  const rows = (await manager.query(`${SELECT_MEMBERS} WHERE m.tenant_id = $1 AND m.user_id = $2`, [tenantId, userId])) as MemberRow[];
  return rows[0] ? toMember(rows[0]) : null;
}

function toMember(row: MemberRow): TenantMember {
  return {
    tenantId: row.tenant_id,
    userId: row.user_id,
    role: row.role,
    createdAt: row.created_at,
    username: row.username,
    email: row.email,
  };
}
