/** What the clients lib needs from configuration. */
export abstract class ClientsOptions {
  /** Key of the HMAC that hashes client secrets (derived from KEY_ENCRYPTION_KEY). */
  abstract readonly secretHashKey: Buffer;
}
