import { SigningKeyRepository, type NewSigningKey, type SigningKey } from '@tessera/keys';
import type { DataSource, Repository } from 'typeorm';
import { SigningKeyEntity } from '../entities/signing-key.entity.js';

export class TypeOrmSigningKeyRepository extends SigningKeyRepository {
  private readonly repo: Repository<SigningKeyEntity>;

  constructor(private readonly dataSource: DataSource) {
    super();
    this.repo = dataSource.getRepository(SigningKeyEntity);
  }

  async insert(key: NewSigningKey): Promise<SigningKey> {
    return this.repo.save(this.repo.create(key));
  }

  /** Keys of one rotation share created_at (one transaction): alg and kid make the order total, so pages hold. */
  list(tenantId: string): Promise<SigningKey[]> {
    return this.repo.find({ where: { tenantId }, order: { createdAt: 'DESC', alg: 'ASC', kid: 'ASC' } });
  }

  /**
   * One transaction: the tenant never has zero or two active keys of an algorithm (a partial unique
   * index also holds).
   */
  rotate(tenantId: string, next: readonly NewSigningKey[], retiredAt: Date, publishUntil: Date): Promise<SigningKey[]> {
    return this.dataSource.transaction(async (em) => {
      await em
        .createQueryBuilder()
        .update(SigningKeyEntity)
        .set({ status: 'retired', retiredAt, publishUntil })
        .where('tenant_id = :tenantId AND status = :status', { tenantId, status: 'active' })
        .execute();
      const saved: SigningKey[] = [];
      for (const key of next) saved.push(await em.save(em.create(SigningKeyEntity, key)));
      return saved;
    });
  }
}
