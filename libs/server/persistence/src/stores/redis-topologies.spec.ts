import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { STORE_DATA_LOST_AT_KEY, StoreUnavailableError } from '@tessera/short-lived-state';
import { describeShortLivedStateStoreContract } from '@tessera/short-lived-state/testing';
import {
  startRedisCluster,
  startRedisSentinel,
  type RedisClusterDeployment,
  type RedisSentinelDeployment,
} from '../testing/redis-servers.js';
import { CLUSTER_SLOTS, keySlot, slotTags } from '../redis/cluster-slot.js';
import { RedisShortLivedStateStore } from './redis-short-lived-state.store.js';

// Issue 6: "Redis Cluster or Sentinel URLs are accepted". These run the store against a real
// three-primary Redis Cluster and a real primary + replica + Sentinel, each started by this file on
// free loopback ports and keeping nothing on disk.

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const prefix = () => `t${randomBytes(4).toString('hex')}:`;

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('Redis Cluster', () => {
  let cluster: RedisClusterDeployment;

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  describeShortLivedStateStoreContract('RedisShortLivedStateStore on a Redis Cluster', async () => ({
    store: await RedisShortLivedStateStore.connect({ url: cluster.url, keyPrefix: prefix() }),
    advance: sleep,
  }));

  it('computes the slot of a key as the cluster does, hash tags and non-ASCII keys included', async () => {
    const keys = ['', 'a', 'tessera:kv:code:abc', 'x{tag}y', '{tag}', 'a{}b{c}', '{}{x}', 'ключ', 'é{ü}', randomBytes(8).toString('hex')];
    const server = cluster.primaries[0]!;
    for (const key of keys) expect(keySlot(key)).toBe(Number((await server.cli('cluster', 'keyslot', key)).trim()));
  });

  it('has a hash tag for every one of the 16384 slots', async () => {
    const tags = slotTags();
    expect(tags).toHaveLength(CLUSTER_SLOTS);
    for (let slot = 0; slot < CLUSTER_SLOTS; slot++) expect(keySlot(`p:sentinel:{${tags[slot]}}`)).toBe(slot);
    for (const slot of [0, 1, 8191, 16383]) {
      expect(Number((await cluster.primaries[0]!.cli('cluster', 'keyslot', `{${tags[slot]}}`)).trim())).toBe(slot);
    }
  });

  it('spreads keys over every primary, and answers 503-style for the slots of a primary that is down while the others still serve', async () => {
    const store = await RedisShortLivedStateStore.connect({ url: cluster.url, keyPrefix: prefix() });
    const victim = cluster.primaries[2]!;
    try {
      const keys = Array.from({ length: 60 }, (_, i) => `code:${i}`);
      for (const key of keys) await store.put(key, 'v', 60_000);
      for (const key of keys) await store.revoke('t1:jti', key, 60_000);
      const lostBefore = Number(await store.get(STORE_DATA_LOST_AT_KEY));

      // A primary restarted without persistence: it comes back owning its slots, but empty.
      await victim.kill();
      const outageStartedAt = Math.floor(Date.now() / 1000);
      const results = await Promise.all(keys.map((key) => store.get(key).then(() => 'ok', (e: unknown) => e)));
      const failed = results.filter((r) => r instanceof StoreUnavailableError);
      expect(failed.length).toBeGreaterThan(0);
      expect(results.filter((r) => r === 'ok').length).toBeGreaterThan(0);
      expect(failed.length + results.filter((r) => r === 'ok').length).toBe(keys.length);
      await expect(store.ping()).rejects.toThrow(StoreUnavailableError);

      await victim.start();
      // Back by itself, and the loss is on record before any key of the victim's slots is served.
      const lostAt = await eventually('the loss marker', async () => {
        const value = Number(await store.get(STORE_DATA_LOST_AT_KEY));
        return value > lostBefore ? value : undefined;
      });
      expect(lostAt).toBeGreaterThanOrEqual(outageStartedAt - 1);
      await eventually('every slot to serve again', async () => {
        await store.ping();
        return true;
      });
      const after = await Promise.all(keys.map((key) => store.get(key)));
      // The victim's codes are gone (the marker revokes what they stood for); the others remain.
      expect(after.filter((v) => v === null).length).toBe(failed.length);
      expect(after.filter((v) => v === 'v').length).toBe(keys.length - failed.length);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('rejects a key prefix that would move keys between slots', () => {
    expect(() => new RedisShortLivedStateStore({ url: cluster.url, keyPrefix: 'a{b}:' })).toThrow(/must not contain/);
  });
});

describe('Redis Sentinel', () => {
  let deployment: RedisSentinelDeployment;

  beforeAll(async () => {
    deployment = await startRedisSentinel();
  }, 60_000);

  afterAll(async () => {
    await deployment?.stop();
  });

  describeShortLivedStateStoreContract('RedisShortLivedStateStore through Redis Sentinel', async () => ({
    store: await RedisShortLivedStateStore.connect({ url: deployment.url, keyPrefix: prefix() }),
    advance: sleep,
  }));

  it('fails closed while the primary is gone, and records the loss when it comes back empty', async () => {
    const store = await RedisShortLivedStateStore.connect({ url: deployment.url, keyPrefix: prefix(), commandTimeoutMs: 500 });
    try {
      const lostBefore = Number(await store.get(STORE_DATA_LOST_AT_KEY));
      await sleep(1_100);
      const primaryPort = await deployment.primaryPort();
      const primary = deployment.servers.find((s) => s.port === primaryPort)!;
      const replica = deployment.servers.find((s) => s.port !== primaryPort)!;
      // No replica to fail over to: the primary restarts empty and stays primary.
      await replica.kill();
      await primary.kill();
      const outageStartedAt = Math.floor(Date.now() / 1000);
      const started = Date.now();
      await expect(store.isRevoked('t1:jti', 'x')).rejects.toThrow(StoreUnavailableError);
      // Bounded by the command deadline, never a hang.
      expect(Date.now() - started).toBeLessThan(3_000);
      await primary.start();
      const lostAt = await eventually('the loss marker', async () => {
        const value = Number(await store.get(STORE_DATA_LOST_AT_KEY));
        return value > lostBefore ? value : undefined;
      });
      expect(lostAt).toBeGreaterThanOrEqual(outageStartedAt - 1);
      await replica.start();
      await deployment.replicaReady();
    } finally {
      await store.close();
    }
  }, 60_000);
  it('follows a failover to the replica without losing revocations or reporting a loss', async () => {
    const store = await RedisShortLivedStateStore.connect({ url: deployment.url, keyPrefix: prefix() });
    try {
      await store.revoke('t1:jti', 'before-failover', 60_000);
      const lostBefore = await store.get(STORE_DATA_LOST_AT_KEY);
      const primaryBefore = await deployment.primaryPort();
      // Let the write reach the replica, then ask the sentinel to hand over.
      await deployment.replicaReady();
      await sleep(200);
      await deployment.sentinel.cli('sentinel', 'failover', deployment.primaryName);
      await eventually('a new primary', async () => ((await deployment.primaryPort()) !== primaryBefore ? true : undefined));
      const revoked = await eventually('the store to serve from the new primary', () => store.isRevoked('t1:jti', 'before-failover'));
      expect(revoked).toBe(true);
      await store.put('after-failover', 'v', 60_000);
      expect(await store.get('after-failover')).toBe('v');
      expect(await store.get(STORE_DATA_LOST_AT_KEY)).toBe(lostBefore);
    } finally {
      await store.close();
    }
  }, 60_000);

});
