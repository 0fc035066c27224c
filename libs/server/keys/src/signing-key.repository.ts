import type { NewSigningKey, SigningKey } from './signing-key.js';

/** Storage port for signing keys. Every method takes the tenant id. */
export abstract class SigningKeyRepository {
  abstract insert(key: NewSigningKey): Promise<SigningKey>;
  /** All keys of the tenant, newest first. */
  abstract list(tenantId: string): Promise<SigningKey[]>;
  /**
   * Atomically retires the active key(s) of the tenant (published until `publishUntil`) and inserts
   * `next` as the only active key.
   */
  abstract rotate(tenantId: string, next: NewSigningKey, retiredAt: Date, publishUntil: Date): Promise<SigningKey>;
}
