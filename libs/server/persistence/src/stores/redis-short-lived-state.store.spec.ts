import { afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { STORE_DATA_LOST_AT_KEY, StoreUnavailableError } from '@tessera/short-lived-state';
import { describeShortLivedStateStoreContract } from '@tessera/short-lived-state/testing';
import { deleteRedisKeys } from '../testing/redis-keys.js';
import { startRedisServer } from '../testing/redis-servers.js';
import { RedisShortLivedStateStore } from './redis-short-lived-state.store.js';

// Shared-Redis-safe: every key of this run sits under a random prefix, removed in afterAll.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `tessera-test:${randomBytes(6).toString('hex')}:`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

afterAll(() => deleteRedisKeys(REDIS_URL, keyPrefix));

describeShortLivedStateStoreContract('RedisShortLivedStateStore', async () => ({
  store: await RedisShortLivedStateStore.connect({ url: REDIS_URL, keyPrefix }),
  // Redis keeps real time: let it pass.
  advance: sleep,
}));

describe('RedisShortLivedStateStore', () => {
  it('sets a PX expiry on every key it writes, under its prefix', async () => {
    const store = await RedisShortLivedStateStore.connect({ url: REDIS_URL, keyPrefix });
    const admin = createClient({ url: REDIS_URL });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      await store.put('ttl-check', 'v', 5_000);
      await store.putIfAbsent('ttl-check-2', 'v', 5_000);
      await store.revoke('jti', 'ttl-check', 5_000);
      await store.increment('ttl-check', 5_000);
      await store.increment('ttl-check', 5_000);
      for (const key of [`${keyPrefix}kv:ttl-check`, `${keyPrefix}kv:ttl-check-2`, `${keyPrefix}rev:jti:ttl-check`, `${keyPrefix}ctr:ttl-check`]) {
        const pttl = await admin.pTTL(key);
        expect(pttl).toBeGreaterThan(4_000);
        expect(pttl).toBeLessThanOrEqual(5_000);
      }
    } finally {
      admin.destroy();
      await store.close();
    }
  });

  it('rejects commands quickly while Redis is unreachable, without crashing, and logs the outage once', async () => {
    const warnings: Array<{ obj: object; msg: string }> = [];
    // Port 1: nothing listens, every connection attempt is refused.
    const store = new RedisShortLivedStateStore({
      url: 'redis://user:s3cret-password@127.0.0.1:1',
      keyPrefix,
      logger: { warn: (obj, msg) => warnings.push({ obj, msg }) },
    });
    try {
      const started = Date.now();
      await expect(store.get('k')).rejects.toThrow(StoreUnavailableError);
      await expect(store.take('k')).rejects.toThrow(StoreUnavailableError);
      await expect(store.increment('k', 1_000)).rejects.toThrow(StoreUnavailableError);
      await expect(store.ping()).rejects.toThrow(StoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(2_000);
      // Let several reconnect attempts fail: still one line, and never the password.
      await sleep(800);
      expect(warnings).toHaveLength(1);
      expect(JSON.stringify(warnings)).not.toContain('s3cret-password');
    } finally {
      await store.close();
    }
  });

  it('heals by reconnecting after its connection is killed, logging the outage once', async () => {
    const clientName = `tessera-test-${randomBytes(4).toString('hex')}`;
    const warnings: string[] = [];
    const store = await RedisShortLivedStateStore.connect({
      url: REDIS_URL,
      keyPrefix,
      clientName,
      logger: { warn: (_obj, msg) => warnings.push(msg) },
    });
    const admin = createClient({ url: REDIS_URL });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      await store.put('survives', 'v', 10_000);
      const list = await admin.clientList();
      const id = list.find((c) => c.name === clientName)?.id;
      expect(id).toBeDefined();
      await admin.clientKill({ filter: 'ID', id: Number(id) });
      // node-redis reconnects at once after a dropped connection (the backoff applies from the
      // second attempt); commands in the gap reject rather than queue. Either way it heals alone.
      const deadline = Date.now() + 3_000;
      let value: string | null = null;
      while (Date.now() < deadline) {
        value = await store.get('survives').catch(() => null);
        if (value !== null) break;
        await sleep(50);
      }
      expect(value).toBe('v');
      expect(warnings).toHaveLength(1);
    } finally {
      admin.destroy();
      await store.close();
    }
  });

  it('records when it lost its data, before answering anything else, when its sentinel is gone after a reconnect', async () => {
    const prefix = `${keyPrefix}loss-${randomBytes(3).toString('hex')}:`;
    const clientName = `tessera-test-${randomBytes(4).toString('hex')}`;
    const store = await RedisShortLivedStateStore.connect({ url: REDIS_URL, keyPrefix: prefix, clientName });
    const admin = createClient({ url: REDIS_URL });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      // A first start records a moment before this process started (it cannot know better).
      const initial = Number(await store.get(STORE_DATA_LOST_AT_KEY));
      expect(initial).toBeLessThan(Date.now() / 1000);
      await store.put('lost', 'v', 60_000);
      await sleep(1_100);
      // Simulate a Redis that restarted empty: our keys go, then the connection drops.
      await admin.del([`${prefix}sentinel`, `${prefix}kv:lost`, `${prefix}kv:${STORE_DATA_LOST_AT_KEY}`]);
      const beforeKill = Math.floor(Date.now() / 1000);
      const id = (await admin.clientList()).find((c) => c.name === clientName)?.id;
      await admin.clientKill({ filter: 'ID', id: Number(id) });
      const deadline = Date.now() + 3_000;
      let lostAt: string | null = null;
      while (Date.now() < deadline) {
        lostAt = await store.get(STORE_DATA_LOST_AT_KEY).catch(() => null);
        if (lostAt !== null) break;
        await sleep(50);
      }
      expect(Number(lostAt)).toBeGreaterThanOrEqual(beforeKill);
      expect(Number(lostAt)).toBeGreaterThan(initial);
      expect(await admin.exists(`${prefix}sentinel`)).toBe(1);
    } finally {
      admin.destroy();
      await store.close();
    }
  });

  it('fails a command with StoreUnavailableError when a live connection stops answering, and serves again after', async () => {
    // Its own Redis: CLIENT PAUSE stalls every client of the server, a shared one included.
    const redis = await startRedisServer();
    const store = await RedisShortLivedStateStore.connect({ url: redis.url, keyPrefix, commandTimeoutMs: 300 });
    try {
      await store.put('k', 'v', 60_000);
      await redis.cli('client', 'pause', '1500', 'ALL');
      const started = Date.now();
      await expect(store.get('k')).rejects.toThrow(StoreUnavailableError);
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(290);
      expect(waited).toBeLessThan(1_000);
      await sleep(1_500);
      expect(await store.get('k')).toBe('v');
    } finally {
      await store.close();
      await redis.stop();
    }
  });

  it('gives up on connect() when Redis never becomes ready', async () => {
    const started = Date.now();
    await expect(RedisShortLivedStateStore.connect({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 500 })).rejects.toThrow(
      /did not become ready/,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
