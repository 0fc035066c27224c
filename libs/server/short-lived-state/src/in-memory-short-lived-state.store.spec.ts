import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@tessera/clock/testing';
import { InMemoryShortLivedStateStore } from './in-memory-short-lived-state.store.js';
import { describeShortLivedStateStoreContract } from './testing/short-lived-state.contract.js';

describeShortLivedStateStoreContract('InMemoryShortLivedStateStore', async () => {
  const clock = new ManualClock(1_700_000_000_000);
  const store = new InMemoryShortLivedStateStore({ clock });
  return {
    store,
    advance: async (ms) => clock.advance(ms),
  };
});

describe('InMemoryShortLivedStateStore', () => {
  it('sweeps expired values and revocations so memory stays bounded by live entries', async () => {
    const clock = new ManualClock(0);
    const store = new InMemoryShortLivedStateStore({ clock });
    for (let i = 0; i < 1000; i++) {
      await store.put(`code:${i}`, 'v', 100);
      await store.revoke('jti', `t${i}`, 100);
    }
    await store.put('live', 'v', 10_000);
    expect(store.size).toBe(2001);
    clock.advance(101);
    store.sweep();
    expect(store.size).toBe(1);
    expect(await store.get('live')).toBe('v');
    await store.close();
  });

  it('runs the sweep on its own timer', async () => {
    const clock = new ManualClock(0);
    const store = new InMemoryShortLivedStateStore({ clock, sweepIntervalMs: 10 });
    await store.put('k', 'v', 5);
    clock.advance(6);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(store.size).toBe(0);
    await store.close();
  });

  it('treats a value as expired exactly at its TTL', async () => {
    const clock = new ManualClock(0);
    const store = new InMemoryShortLivedStateStore({ clock });
    await store.put('k', 'v', 100);
    clock.set(99);
    expect(await store.get('k')).toBe('v');
    clock.set(100);
    expect(await store.get('k')).toBeNull();
    await store.close();
  });
});
