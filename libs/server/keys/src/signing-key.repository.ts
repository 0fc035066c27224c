import type { NewSigningKey, SigningKey } from './signing-key.js';

/** Storage port for signing keys. Every method takes the tenant id. */
export abstract class SigningKeyRepository {
  /** Fails when the tenant already has an active key of that algorithm. */
  abstract insert(key: NewSigningKey): Promise<SigningKey>;
  /** All keys of the tenant, newest first. */
  abstract list(tenantId: string): Promise<SigningKey[]>;
  /**
   * Atomically retires every active key of the tenant (published until `publishUntil`) and inserts
   * `next` (one key per algorithm) as the only active keys.
   */
  abstract rotate(tenantId: string, next: readonly NewSigningKey[], retiredAt: Date, publishUntil: Date): Promise<SigningKey[]>;
}
