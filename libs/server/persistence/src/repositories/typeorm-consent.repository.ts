import { ConsentRepository, type Consent, type ConsentFilter, type ConsentWithClient } from '@tessera/consents';
import type { Page } from '@tessera/contracts';
import type { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import { ClientEntity } from '../entities/client.entity.js';
import { ConsentEntity } from '../entities/consent.entity.js';
import { keysetPage } from './keyset-page.js';

type ConsentRow = ConsentEntity & { client?: { clientId: string; name: string } };

export class TypeOrmConsentRepository extends ConsentRepository {
  private readonly repo: Repository<ConsentEntity>;

  constructor(private readonly dataSource: DataSource) {
    super();
    this.repo = dataSource.getRepository(ConsentEntity);
  }

  find(tenantId: string, userId: string, clientRef: string): Promise<Consent | null> {
    return this.repo.findOneBy({ tenantId, userId, clientRef });
  }

  async findById(tenantId: string, id: string): Promise<ConsentWithClient | null> {
    const row = await this.withClient(this.repo.createQueryBuilder('c').where('c.tenant_id = :tenantId AND c.id = :id', { tenantId, id })).getOne();
    return row ? toConsent(row as ConsentRow) : null;
  }

  /** Upsert: a second "allow" widens the remembered scope set to the union. */
  async grant(tenantId: string, userId: string, clientRef: string, scopes: readonly string[]): Promise<Consent> {
    const rows = (await this.dataSource.query(
      `INSERT INTO consents (tenant_id, user_id, client_ref, scopes)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, user_id, client_ref) DO UPDATE
         SET scopes = ARRAY(SELECT DISTINCT unnest(consents.scopes || EXCLUDED.scopes) ORDER BY 1), updated_at = now()
       RETURNING id`,
      [tenantId, userId, clientRef, [...scopes]],
    )) as { id: string }[];
    return this.repo.findOneByOrFail({ id: rows[0]!.id, tenantId });
  }

  async touch(tenantId: string, id: string, at: Date): Promise<void> {
    await this.repo.update({ tenantId, id }, { lastUsedAt: at });
  }

  list(tenantId: string, filter: ConsentFilter, page: { limit: number; cursor?: string }): Promise<Page<ConsentWithClient>> {
    const qb = this.withClient(this.repo.createQueryBuilder('c').where('c.tenant_id = :tenantId', { tenantId }));
    if (filter.userId) qb.andWhere('c.user_id = :userId', { userId: filter.userId });
    if (filter.clientRef) qb.andWhere('c.client_ref = :clientRef', { clientRef: filter.clientRef });
    return keysetPage(qb, 'c', page, (row) => toConsent(row as ConsentRow));
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.repo.delete({ tenantId, id });
    return (result.affected ?? 0) > 0;
  }

  private withClient(qb: SelectQueryBuilder<ConsentEntity>): SelectQueryBuilder<ConsentEntity> {
    return qb.innerJoinAndMapOne('c.client', ClientEntity, 'cl', 'cl.id = c.client_ref AND cl.tenant_id = c.tenant_id');
  }
}

function toConsent(row: ConsentRow): ConsentWithClient {
  return {
    id: row.id,
    tenantId: row.tenantId,
    userId: row.userId,
    clientRef: row.clientRef,
    scopes: row.scopes,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastUsedAt: row.lastUsedAt,
    clientId: row.client?.clientId ?? '',
    clientName: row.client?.name ?? '',
  };
}
