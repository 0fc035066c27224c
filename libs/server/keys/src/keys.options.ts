/** What the keys lib needs from configuration. */
export abstract class KeysOptions {
  abstract readonly keyEncryptionKey: Buffer;
}
