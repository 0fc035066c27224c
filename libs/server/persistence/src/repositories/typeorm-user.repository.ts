import { UserRepository, type NewUser, type User, type UserPatch } from '@tessera/users';
import type { Page } from '@tessera/contracts';
import type { DataSource, Repository } from 'typeorm';
import { UserEntity } from '../entities/user.entity.js';
import { conflictOnDuplicate, keysetPage } from './keyset-page.js';
import { PreparedLookup } from './prepared-lookup.js';

export class TypeOrmUserRepository extends UserRepository {
  private readonly repo: Repository<UserEntity>;
  /** Every use of a browser session checks its user (SessionService). */
  private readonly byId: PreparedLookup<UserEntity>;

  constructor(dataSource: DataSource) {
    super();
    this.repo = dataSource.getRepository(UserEntity);
    this.byId = new PreparedLookup(dataSource, UserEntity, ['tenantId', 'id']);
  }

  async create(user: NewUser): Promise<User> {
    try {
      return await this.repo.save(this.repo.create(user));
    } catch (error) {
      conflictOnDuplicate(error, `username ${user.username} is taken in this tenant`);
    }
  }

  findById(tenantId: string, id: string): Promise<User | null> {
    return this.byId.one([tenantId, id]);
  }

  findByUsername(tenantId: string, username: string): Promise<User | null> {
    return this.repo
      .createQueryBuilder('u')
      .where('u.tenant_id = :tenantId AND lower(u.username) = lower(:username)', { tenantId, username })
      .getOne();
  }

  list(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<User>> {
    return keysetPage(this.repo.createQueryBuilder('u').where('u.tenant_id = :tenantId', { tenantId }), 'u', page, (u) => u);
  }

  async update(tenantId: string, id: string, patch: UserPatch): Promise<User | null> {
    const row = await this.repo.findOneBy({ tenantId, id });
    if (!row) return null;
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) (row as unknown as Record<string, unknown>)[key] = value;
    }
    return this.repo.save(row);
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.repo.delete({ tenantId, id });
    return (result.affected ?? 0) > 0;
  }
}
