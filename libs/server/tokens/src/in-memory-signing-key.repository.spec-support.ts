import { randomUUID } from 'node:crypto';
import { SigningKeyRepository, type NewSigningKey, type SigningKey } from '@tessera/keys';

/**
 * SigningKeyRepository over an array, for domain specs where a database adds nothing. Keeps the
 * port's promises: newest first, and rotation leaves exactly one active key per tenant and algorithm.
 */
export class InMemorySigningKeyRepository extends SigningKeyRepository {
  private readonly rows: Array<SigningKey & { seq: number }> = [];
  private seq = 0;

  async insert(key: NewSigningKey): Promise<SigningKey> {
    if (key.status === 'active' && this.rows.some((r) => r.tenantId === key.tenantId && r.alg === key.alg && r.status === 'active')) {
      throw new Error('a tenant has at most one active signing key per algorithm');
    }
    const row = { ...key, id: randomUUID(), createdAt: new Date(), seq: this.seq++ };
    this.rows.push(row);
    return strip(row);
  }

  async list(tenantId: string): Promise<SigningKey[]> {
    return this.rows
      .filter((r) => r.tenantId === tenantId)
      .sort((a, b) => b.seq - a.seq)
      .map(strip);
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

function strip({ seq: _seq, ...key }: SigningKey & { seq: number }): SigningKey {
  return { ...key };
}
