import type { Page } from '@tessera/contracts';
import {
  RefreshTokenRepository,
  type FamilyFilter,
  type NewRefreshFamily,
  type RefreshFamily,
  type RefreshTokenState,
  type RotateOutcome,
} from '@tessera/tokens';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { RefreshTokenFamilyEntity } from '../entities/refresh-token-family.entity.js';
import { RefreshTokenEntity } from '../entities/refresh-token.entity.js';
import { keysetPage } from './keyset-page.js';

export class TypeOrmRefreshTokenRepository extends RefreshTokenRepository {
  private readonly families: Repository<RefreshTokenFamilyEntity>;

  constructor(private readonly dataSource: DataSource) {
    super();
    this.families = dataSource.getRepository(RefreshTokenFamilyEntity);
  }

  createFamily(family: NewRefreshFamily, tokenHash: Buffer): Promise<RefreshFamily> {
    return this.dataSource.transaction(async (em) => {
      const row = await em.save(em.create(RefreshTokenFamilyEntity, family));
      await em.insert(RefreshTokenEntity, { tokenHash, familyId: row.id });
      return toFamily(row);
    });
  }

  rotate(tenantId: string, clientRef: string, presented: Buffer, next: Buffer, now: Date, idleCutoff: Date): Promise<RotateOutcome> {
    return this.dataSource.transaction(async (em) => {
      // Lock the token row: two concurrent refreshes with one token serialise here, and the second
      // sees it rotated out (reuse), as RFC 9700 section 4.14.2 wants.
      const token = await em
        .createQueryBuilder(RefreshTokenEntity, 'rt')
        .setLock('pessimistic_write')
        .where('rt.token_hash = :hash', { hash: presented })
        .getOne();
      if (!token) return { outcome: 'invalid' };
      const family = await em.findOneBy(RefreshTokenFamilyEntity, { id: token.familyId, tenantId, clientRef });
      if (!family || family.revokedAt) return { outcome: 'invalid' };
      if (token.rotatedAt) {
        await this.revoke(em, family, 'refresh_token_reuse', now);
        return { outcome: 'reused', family: toFamily(family) };
      }
      if (family.expiresAt <= now || family.lastUsedAt < idleCutoff) return { outcome: 'invalid' };
      await em.update(RefreshTokenEntity, { tokenHash: presented }, { rotatedAt: now });
      await em.insert(RefreshTokenEntity, { tokenHash: next, familyId: family.id });
      family.lastUsedAt = now;
      await em.update(RefreshTokenFamilyEntity, { id: family.id }, { lastUsedAt: now });
      return { outcome: 'rotated', family: toFamily(family) };
    });
  }

  async findFamilyByToken(tenantId: string, tokenHash: Buffer): Promise<RefreshFamily | null> {
    const row = await this.families
      .createQueryBuilder('f')
      .innerJoin(RefreshTokenEntity, 'rt', 'rt.family_id = f.id')
      .where('rt.token_hash = :tokenHash AND f.tenant_id = :tenantId', { tokenHash, tenantId })
      .getOne();
    return row ? toFamily(row) : null;
  }

  async findTokenState(tenantId: string, tokenHash: Buffer): Promise<RefreshTokenState | null> {
    const { entities, raw } = await this.families
      .createQueryBuilder('f')
      .innerJoin(RefreshTokenEntity, 'rt', 'rt.family_id = f.id')
      .addSelect('rt.rotated_at', 'token_rotated_at')
      .addSelect('rt.created_at', 'token_created_at')
      .where('rt.token_hash = :tokenHash AND f.tenant_id = :tenantId', { tokenHash, tenantId })
      .getRawAndEntities<{ token_rotated_at: Date | null; token_created_at: Date }>();
    const [row, token] = [entities[0], raw[0]];
    if (!row || !token) return null;
    return { family: toFamily(row), current: token.token_rotated_at === null, issuedAt: new Date(token.token_created_at) };
  }

  async revokeFamily(tenantId: string, familyId: string, reason: string, at: Date): Promise<void> {
    await this.families
      .createQueryBuilder()
      .update()
      .set({ revokedAt: at, revokedReason: reason })
      .where('id = :familyId AND tenant_id = :tenantId AND revoked_at IS NULL', { familyId, tenantId })
      .execute();
  }

  async revokeWhere(tenantId: string, filter: FamilyFilter, reason: string, at: Date): Promise<string[]> {
    const qb = this.families
      .createQueryBuilder()
      .update()
      .set({ revokedAt: at, revokedReason: reason })
      .where('tenant_id = :tenantId AND revoked_at IS NULL', { tenantId });
    if (filter.clientRef) qb.andWhere('client_ref = :clientRef', { clientRef: filter.clientRef });
    if (filter.userId) qb.andWhere('user_id = :userId', { userId: filter.userId });
    const result = await qb.returning(['id']).execute();
    return (result.raw as { id: string }[]).map((r) => r.id);
  }

  listLive(tenantId: string, filter: FamilyFilter, now: Date, page: { limit: number; cursor?: string }): Promise<Page<RefreshFamily>> {
    const qb = this.families
      .createQueryBuilder('f')
      .where('f.tenant_id = :tenantId AND f.revoked_at IS NULL AND f.expires_at > :now', { tenantId, now });
    if (filter.clientRef) qb.andWhere('f.client_ref = :clientRef', { clientRef: filter.clientRef });
    if (filter.userId) qb.andWhere('f.user_id = :userId', { userId: filter.userId });
    return keysetPage(qb, 'f', page, toFamily);
  }

  private async revoke(em: EntityManager, family: RefreshTokenFamilyEntity, reason: string, at: Date): Promise<void> {
    await em.update(RefreshTokenFamilyEntity, { id: family.id }, { revokedAt: at, revokedReason: reason });
    family.revokedAt = at;
    family.revokedReason = reason;
  }
}

function toFamily(row: RefreshTokenFamilyEntity): RefreshFamily {
  return {
    id: row.id,
    tenantId: row.tenantId,
    clientRef: row.clientRef,
    userId: row.userId,
    scopes: row.scopes,
    authTime: row.authTime,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    revokedReason: row.revokedReason,
  };
}
