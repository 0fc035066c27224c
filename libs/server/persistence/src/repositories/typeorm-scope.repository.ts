import { ScopeRepository, type Scope } from '@tessera/tenancy';
import type { Page } from '@tessera/contracts';
import { In, type DataSource, type Repository } from 'typeorm';
import { ScopeEntity } from '../entities/scope.entity.js';
import { conflictOnDuplicate, decodeCursor, encodeCursor } from './keyset-page.js';

export class TypeOrmScopeRepository extends ScopeRepository {
  private readonly repo: Repository<ScopeEntity>;

  constructor(dataSource: DataSource) {
    super();
    this.repo = dataSource.getRepository(ScopeEntity);
  }

  async create(scope: Omit<Scope, 'createdAt'>): Promise<Scope> {
    // insert, not save: save() on an existing primary key (tenant_id, name) silently updates the row.
    const row = this.repo.create(scope);
    try {
      await this.repo.insert(row);
      return row;
    } catch (error) {
      conflictOnDuplicate(error, `scope ${scope.name} already exists`);
    }
  }

  /** Ordered by name (the primary key within a tenant). */
  async list(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<Scope>> {
    const qb = this.repo.createQueryBuilder('s').where('s.tenant_id = :tenantId', { tenantId });
    if (page.cursor !== undefined) qb.andWhere('s.name > :after', { after: decodeCursor(page.cursor)[1] });
    const rows = await qb.orderBy('s.name', 'ASC').take(page.limit + 1).getMany();
    const more = rows.length > page.limit;
    const items = more ? rows.slice(0, page.limit) : rows;
    const last = items[items.length - 1];
    return { items, next: more && last ? encodeCursor(last.createdAt, last.name) : null };
  }

  async findMany(tenantId: string, names: readonly string[]): Promise<Scope[]> {
    if (names.length === 0) return [];
    return this.repo.find({ where: { tenantId, name: In([...names]) } });
  }

  async findNames(tenantId: string, names: readonly string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const rows = await this.repo.find({ where: { tenantId, name: In([...names]) }, select: { name: true } });
    return rows.map((r) => r.name);
  }

  async delete(tenantId: string, name: string): Promise<boolean> {
    const result = await this.repo.delete({ tenantId, name });
    return (result.affected ?? 0) > 0;
  }
}
