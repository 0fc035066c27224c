import { randomUUID } from 'node:crypto';
import type { NewSigningKey, SigningKey } from '../signing-key.js';
import { SigningKeyRepository } from '../signing-key.repository.js';

/**
 * SigningKeyRepository over an array, for domain specs where a database adds nothing. Keeps the
 * port's promises: newest first, and at most one active key per tenant and algorithm (an insert
 * that breaks it fails as PostgreSQL's unique index does).
 */
export class InMemorySigningKeyRepository extends SigningKeyRepository {
  /** Every row, newest first. */
  readonly rows: SigningKey[] = [];
  /** Insert calls, failed ones included: specs count how often keys were generated. */
  inserts = 0;

  async insert(key: NewSigningKey): Promise<SigningKey> {
    this.inserts++;
    if (key.status === 'active' && this.rows.some((r) => r.tenantId === key.tenantId && r.alg === key.alg && r.status === 'active')) {
      throw new Error('duplicate key value violates unique constraint "signing_keys_one_active"');
    }
    // Stands in for the column's DEFAULT now(): the time a row was written, not a rule's input.
    const row: SigningKey = { ...key, id: randomUUID(), createdAt: new Date() };
    this.rows.unshift(row);
    return { ...row };
  }

  async list(tenantId: string): Promise<SigningKey[]> {
    return this.rows.filter((r) => r.tenantId === tenantId).map((r) => ({ ...r }));
  }

  async rotate(tenantId: string, next: readonly NewSigningKey[], retiredAt: Date, publishUntil: Date): Promise<SigningKey[]> {
    for (const row of this.rows) {
      if (row.tenantId === tenantId && row.status === 'active') Object.assign(row, { status: 'retired', retiredAt, publishUntil });
    }
    const inserted: SigningKey[] = [];
    for (const key of next) inserted.push(await this.insert(key));
    return inserted;
  }
}
