import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ShortLivedStateStore } from '../short-lived-state.store.js';
import { StoreUnavailableError } from '../store-unavailable.error.js';

export interface ShortLivedStateStoreFixture {
  store: ShortLivedStateStore;
  /** Lets `ms` milliseconds pass: a fake clock moves, a real store is waited on. */
  advance(ms: number): Promise<void>;
}

/**
 * The behaviour every ShortLivedStateStore keeps, run against each implementation (fosite's
 * storage-contract idea): whatever passes here can back authorization codes and revocations.
 *
 * TTLs are small (100 ms) and every expiry check advances well past them, so a store that really
 * waits stays fast and is not flaky on a slow machine.
 */
export function describeShortLivedStateStoreContract(
  name: string,
  factory: () => Promise<ShortLivedStateStoreFixture>,
): void {
  describe(`${name} (ShortLivedStateStore contract)`, () => {
    const TTL = 100;
    const PAST_TTL = 160;
    let store: ShortLivedStateStore;
    let advance: (ms: number) => Promise<void>;

    beforeEach(async () => {
      ({ store, advance } = await factory());
    });

    afterEach(async () => {
      await store.close();
    });

    it('returns what was put, and null for a key never put', async () => {
      await store.put('code:a', 'value-a', 10_000);
      expect(await store.get('code:a')).toBe('value-a');
      expect(await store.get('code:never')).toBeNull();
    });

    it('replaces the value on a second put', async () => {
      await store.put('k', 'first', 10_000);
      await store.put('k', 'second', 10_000);
      expect(await store.get('k')).toBe('second');
    });

    it('forgets a value once its TTL has passed', async () => {
      await store.put('short', 'v', TTL);
      await store.put('long', 'v', 10_000);
      expect(await store.get('short')).toBe('v');
      await advance(PAST_TTL);
      expect(await store.get('short')).toBeNull();
      expect(await store.take('short')).toBeNull();
      expect(await store.get('long')).toBe('v');
    });

    it('gives a value to take once, then null (RFC 6749 section 4.1.2: a code is single-use)', async () => {
      await store.put('code:once', 'grant', 10_000);
      expect(await store.take('code:once')).toBe('grant');
      expect(await store.take('code:once')).toBeNull();
      expect(await store.get('code:once')).toBeNull();
    });

    it('gives the value to exactly one of 50 concurrent takes', async () => {
      await store.put('code:race', 'grant', 10_000);
      const results = await Promise.all(Array.from({ length: 50 }, () => store.take('code:race')));
      expect(results.filter((r) => r !== null)).toEqual(['grant']);
    });

    it('takes nothing from an expired key', async () => {
      await store.put('code:stale', 'grant', TTL);
      await advance(PAST_TTL);
      expect(await store.take('code:stale')).toBeNull();
    });

    it('stores with putIfAbsent only when absent, and again once the previous value expired', async () => {
      expect(await store.putIfAbsent('nonce', 'first', TTL)).toBe(true);
      expect(await store.putIfAbsent('nonce', 'second', TTL)).toBe(false);
      expect(await store.get('nonce')).toBe('first');
      await advance(PAST_TTL);
      expect(await store.putIfAbsent('nonce', 'third', 10_000)).toBe(true);
      expect(await store.get('nonce')).toBe('third');
    });

    it('lets exactly one of 20 concurrent putIfAbsent calls win', async () => {
      const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => store.putIfAbsent('jti', `v${i}`, 10_000)));
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    it('deletes a key, and deleting a missing key is not an error', async () => {
      await store.put('k', 'v', 10_000);
      await store.delete('k');
      expect(await store.get('k')).toBeNull();
      await expect(store.delete('k')).resolves.toBeUndefined();
    });

    it('reports a revoked member until its revocation expires', async () => {
      expect(await store.isRevoked('jti', 'token-1')).toBe(false);
      await store.revoke('jti', 'token-1', TTL);
      await store.revoke('jti', 'token-2', 10_000);
      expect(await store.isRevoked('jti', 'token-1')).toBe(true);
      expect(await store.isRevoked('jti', 'token-3')).toBe(false);
      await advance(PAST_TTL);
      expect(await store.isRevoked('jti', 'token-1')).toBe(false);
      expect(await store.isRevoked('jti', 'token-2')).toBe(true);
    });

    it('keeps revocation sets, and revocations and values, apart', async () => {
      await store.revoke('access', 'x', 10_000);
      await store.revoke('tenant-a:jti', 'x', 10_000);
      expect(await store.isRevoked('access', 'x')).toBe(true);
      expect(await store.isRevoked('refresh', 'x')).toBe(false);
      expect(await store.isRevoked('tenant-a:jti', 'x')).toBe(true);
      expect(await store.isRevoked('tenant-b:jti', 'x')).toBe(false);
      // A value whose key looks like a revocation does not revoke anything, and vice versa.
      await store.put('rev:refresh:y', '1', 10_000);
      expect(await store.isRevoked('refresh', 'y')).toBe(false);
      expect(await store.get('rev:access:x')).toBeNull();
    });

    it('keeps keys with spaces, colons and non-ASCII characters distinct', async () => {
      const keys = ['a b', 'a:b', 'a::b', 'tenant:acme:code:ü', 'clé 🔑 鍵', 'a\nb', ''];
      for (const [i, key] of keys.entries()) await store.put(key, `v${i}`, 10_000);
      for (const [i, key] of keys.entries()) expect(await store.get(key)).toBe(`v${i}`);
      await store.revoke('jti', 'member with spaces: ü 🔑', 10_000);
      expect(await store.isRevoked('jti', 'member with spaces: ü 🔑')).toBe(true);
      expect(await store.isRevoked('jti', 'member with spaces: u 🔑')).toBe(false);
    });

    it('stores values of 100 KB and non-ASCII values intact', async () => {
      const large = 'x'.repeat(100 * 1024 - 4) + 'ü🔑';
      await store.put('large', large, 10_000);
      expect(await store.get('large')).toBe(large);
      expect(await store.take('large')).toBe(large);
      await store.put('empty', '', 10_000);
      expect(await store.get('empty')).toBe('');
      expect(await store.take('empty')).toBe('');
    });

    it('counts increments in a fixed window that starts at the first and is not extended by later ones', async () => {
      const first = await store.increment('login:ip:1', 10_000);
      expect(first.count).toBe(1);
      expect(first.resetInMs).toBeGreaterThan(9_000);
      expect(first.resetInMs).toBeLessThanOrEqual(10_000);
      expect((await store.increment('login:ip:1', 10_000)).count).toBe(2);
      const third = await store.increment('login:ip:1', 10_000);
      expect(third.count).toBe(3);
      expect(third.resetInMs).toBeLessThanOrEqual(first.resetInMs);
      expect((await store.increment('login:ip:2', 10_000)).count).toBe(1);
    });

    it('starts a counter again from one once its window has passed', async () => {
      await store.increment('window', TTL);
      await store.increment('window', TTL);
      await advance(PAST_TTL);
      const next = await store.increment('window', 10_000);
      expect(next.count).toBe(1);
      expect(next.resetInMs).toBeGreaterThan(9_000);
    });

    it('gives 50 concurrent increments of a fresh counter the counts 1 to 50, each once', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => store.increment('race', 10_000)));
      expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });

    it('starts a counter again from one after a reset, and resets a missing counter without error', async () => {
      await store.increment('reset-me', 10_000);
      await store.increment('reset-me', 10_000);
      await store.resetCounter('reset-me');
      expect((await store.increment('reset-me', 10_000)).count).toBe(1);
      await expect(store.resetCounter('never-counted')).resolves.toBeUndefined();
    });

    it('keeps counters apart from values and revocations', async () => {
      await store.put('shared', 'value', 10_000);
      await store.revoke('shared', 'x', 10_000);
      expect((await store.increment('shared', 10_000)).count).toBe(1);
      expect((await store.increment('shared:x', 10_000)).count).toBe(1);
      expect(await store.get('shared')).toBe('value');
      expect(await store.isRevoked('shared', 'x')).toBe(true);
    });

    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects a TTL of %p with a TypeError', async (ttl) => {
      await expect(store.put('k', 'v', ttl)).rejects.toThrow(TypeError);
      await expect(store.putIfAbsent('k', 'v', ttl)).rejects.toThrow(TypeError);
      await expect(store.revoke('jti', 'm', ttl)).rejects.toThrow(TypeError);
      await expect(store.increment('c', ttl)).rejects.toThrow(TypeError);
      expect(await store.get('k')).toBeNull();
    });

    it('reads values and revocations together with the same answers as get and isRevoked', async () => {
      await store.put('many:a', 'value-a', 10_000);
      await store.put('many:short', 'gone soon', TTL);
      await store.revoke('many-set', 'm1', 10_000);
      await store.revoke('many-set', 'short', TTL);
      await advance(PAST_TTL);
      const reads = {
        values: ['many:a', 'many:missing', 'many:short', 'many:a'],
        revocations: [['many-set', 'm1'], ['many-set', 'm2'], ['many-set', 'short'], ['other-set', 'm1']] as const,
      };
      const result = await store.readMany(reads);
      expect(result).toEqual({ values: ['value-a', null, null, 'value-a'], revoked: [true, false, false, false] });
      expect(result.values).toEqual(await Promise.all(reads.values.map((key) => store.get(key))));
      expect(result.revoked).toEqual(await Promise.all(reads.revocations.map(([set, member]) => store.isRevoked(set, member))));
      expect(await store.readMany({ values: [], revocations: [] })).toEqual({ values: [], revoked: [] });
      // A revocation is not a value, nor the other way round.
      expect(await store.readMany({ values: ['many-set:m1'], revocations: [['many', 'a']] })).toEqual({ values: [null], revoked: [false] });
    });

    it('answers ping while open', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('rejects commands with a StoreUnavailableError once closed, and closes twice without error', async () => {
      await store.close();
      await expect(store.ping()).rejects.toThrow(StoreUnavailableError);
      await expect(store.get('k')).rejects.toThrow(StoreUnavailableError);
      await expect(store.increment('c', 1_000)).rejects.toThrow(StoreUnavailableError);
      await expect(store.close()).resolves.toBeUndefined();
    });
  });
}
