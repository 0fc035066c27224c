/**
 * Tells every server process that cached data changed: Redis pub/sub in production, an in-process
 * bus for the single-process default (both in `@tessera/persistence`). Messages may be lost while
 * the connection is down, so every cache using the bus also bounds staleness with a TTL, and the
 * Redis bus reports a reconnect as `resetAll` so caches drop everything they hold.
 */
export abstract class InvalidationBus {
  abstract publish(topic: string, key: string): Promise<void>;
  /** `key` is null when everything of the topic must go (after a lost connection). */
  abstract subscribe(topic: string, handler: (key: string | null) => void): void;
}
