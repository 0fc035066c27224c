import { ManualClock } from '@tessera/clock/testing';
import { CachedLookup } from './cached-lookup.js';
import { InvalidationBus } from './invalidation-bus.js';

class FakeBus extends InvalidationBus {
  readonly handlers = new Map<string, ((key: string | null) => void)[]>();
  async publish(topic: string, key: string): Promise<void> {
    for (const h of this.handlers.get(topic) ?? []) h(key);
  }
  subscribe(topic: string, handler: (key: string | null) => void): void {
    this.handlers.set(topic, [...(this.handlers.get(topic) ?? []), handler]);
  }
}

describe('CachedLookup', () => {
  const clock = new ManualClock(0);

  it('loads once for concurrent misses and serves hits until the TTL', async () => {
    let loads = 0;
    const cache = new CachedLookup(new FakeBus(), { topic: 't', ttlMs: 1000, maxEntries: 10 }, async (k) => `${k}${++loads}`, clock);
    expect(await Promise.all([cache.get('a'), cache.get('a')])).toEqual(['a1', 'a1']);
    clock.set(999);
    expect(await cache.get('a')).toBe('a1');
    clock.set(1000);
    expect(await cache.get('a')).toBe('a2');
  });

  it('evicts an entry in another process when it is invalidated here', async () => {
    const bus = new FakeBus();
    let version = 1;
    const here = new CachedLookup(bus, { topic: 't', ttlMs: 60_000, maxEntries: 10 }, async () => version, clock);
    const there = new CachedLookup(bus, { topic: 't', ttlMs: 60_000, maxEntries: 10 }, async () => version, clock);
    expect(await there.get('k')).toBe(1);
    version = 2;
    await here.invalidate('k');
    expect(await there.get('k')).toBe(2);
  });

  it('drops everything on a reset and never caches a failed load', async () => {
    const bus = new FakeBus();
    let fail = true;
    const cache = new CachedLookup(bus, { topic: 't', ttlMs: 60_000, maxEntries: 10 }, async (k) => {
      if (fail) throw new Error('down');
      return k;
    }, clock);
    await expect(cache.get('x')).rejects.toThrow('down');
    fail = false;
    expect(await cache.get('x')).toBe('x');
    for (const h of bus.handlers.get('t')!) h(null);
    fail = true;
    await expect(cache.get('x')).rejects.toThrow('down');
  });

  it('keeps at most maxEntries', async () => {
    let loads = 0;
    const cache = new CachedLookup(new FakeBus(), { topic: 't', ttlMs: 60_000, maxEntries: 2 }, async (k) => `${k}${++loads}`, clock);
    await cache.get('a');
    await cache.get('b');
    await cache.get('c');
    expect(await cache.get('a')).toBe('a4');
  });
});
