import { SystemClock, type Clock } from '@tessera/clock';
import { cacheLookedUp } from '@tessera/observability';
import type { InvalidationBus } from './invalidation-bus.js';

interface Entry<V> {
  value: Promise<V>;
  until: number;
}

export interface CachedLookupOptions {
  topic: string;
  /** Upper bound on staleness should an invalidation message be lost. */
  ttlMs: number;
  /** Most entries kept; the oldest go first. */
  maxEntries: number;
}

/**
 * A read-through cache for data that rarely changes (clients, tenants): concurrent misses share one
 * load, entries expire after a TTL, and a change anywhere evicts the entry in every process through
 * the invalidation bus. Failed loads are not cached.
 */
export class CachedLookup<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly bus: InvalidationBus,
    private readonly options: CachedLookupOptions,
    private readonly load: (key: string) => Promise<V>,
    private readonly clock: Clock = new SystemClock(),
  ) {
    bus.subscribe(options.topic, (key) => (key === null ? this.entries.clear() : this.entries.delete(key)));
  }

  get(key: string): Promise<V> {
    const hit = this.entries.get(key);
    const now = this.clock.now();
    const fresh = hit !== undefined && hit.until > now ? hit : undefined;
    // The topic names the cache (`client`, `tenant`) in the cache hit ratio.
    if (cacheLookedUp.active) cacheLookedUp.publish({ cache: this.options.topic, hit: fresh !== undefined });
    if (fresh) return fresh.value;
    const value = this.load(key);
    this.entries.set(key, { value, until: now + this.options.ttlMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    if (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return value;
  }

  /** Evicts here at once and tells every other process. */
  async invalidate(key: string): Promise<void> {
    this.entries.delete(key);
    await this.bus.publish(this.options.topic, key);
  }
}
