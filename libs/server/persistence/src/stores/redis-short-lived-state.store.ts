import {
  ShortLivedStateStore,
  STORE_DATA_LOST_AT_KEY,
  StoreUnavailableError,
  type StoreReadResults,
  type StoreReads,
  type WindowCount,
} from '@tessera/short-lived-state';
import { storeOperationCompleted } from '@tessera/observability';
import { createRedisClient, type RedisClusterClient, type RedisCommands } from '../redis/redis-clients.js';
import { describeRedisTopology, parseRedisUrl } from '../redis/redis-url.js';
import {
  ClusterStoreConnection,
  PrimaryStoreConnection,
  type StoreConnection,
  type StoreConnectionLogger,
} from './redis-store-connection.js';

export type RedisShortLivedStateStoreLogger = StoreConnectionLogger;

export interface RedisShortLivedStateStoreOptions {
  /**
   * `redis://[user:password@]host:port[/db]` (`rediss://` for TLS), a Redis Cluster as
   * `redis+cluster://host:port,host:port`, or a Sentinel-managed primary as
   * `redis+sentinel://host:port,host:port/primaryName[/db]` (see redis-url.ts).
   */
  url: string;
  /** Prepended to every key, so several deployments (or test runs) can share one Redis. */
  keyPrefix?: string;
  logger?: RedisShortLivedStateStoreLogger;
  /**
   * Longest wait for a reply on a live connection (a stalled server or a half-open TCP connection
   * would otherwise keep a request waiting until the kernel gives up, minutes later).
   */
  commandTimeoutMs?: number;
  /** Longest wait for the first connection in `connect()`. */
  connectTimeoutMs?: number;
  /** CLIENT SETNAME, so operators can tell this connection apart in CLIENT LIST. */
  clientName?: string;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/**
 * The short-lived-state port on Redis (node-redis 6): one server, a Redis Cluster or a primary
 * behind Sentinel, chosen by the URL.
 *
 * Availability: the offline queue is disabled, so while the connection is down every command rejects
 * at once (ClientOfflineError) instead of waiting in memory for a reconnect that may never come;
 * callers answer 503 and the readiness check (`ping`) fails. A command timeout covers a connection
 * that looks alive but does not answer. The client reconnects in the background with capped
 * exponential backoff and logs one warning per outage.
 *
 * Every failure of the client (offline, closed, timed out, connection lost mid-command, a command
 * that spanned a reconnection) rejects with a StoreUnavailableError carrying the client's error as
 * `cause`, so callers recognise it by type; only our own TypeErrors (a bad TTL) pass through.
 *
 * Data loss: after every (re)connection, before any other command is allowed through, the
 * connection checks sentinel keys without expiry that mark a Redis still holding our data (one
 * key, or one per slot on a Cluster: redis-store-connection.ts). When they are missing (a Redis
 * restarted without persistence, or a first start), it records the start of the outage under
 * STORE_DATA_LOST_AT_KEY. Revocation checks then treat every token issued up to that moment as
 * revoked (docs/adr/0006).
 *
 * Keys: values live at `${prefix}kv:${key}`, revocations at `${prefix}rev:${set}:${member}`, one key
 * per member with its own PX expiry, counters at `${prefix}ctr:${key}`: no multi-key commands, so it
 * runs unchanged on Redis Cluster. The namespaces never meet. Within `rev:`, set `a:b` with member `c` and set `a` with member
 * `b:c` are the same key: set names are fixed namespaces chosen in code (`${tenantId}:jti`), so
 * never make one set name a `:`-prefix of another.
 */
export class RedisShortLivedStateStore extends ShortLivedStateStore {
  private readonly connection: StoreConnection;
  private readonly redis: RedisCommands;
  private readonly prefix: string;
  private readonly endpoint: string;

  /**
   * Starts connecting in the background; commands reject until the connection is ready. Use
   * `RedisShortLivedStateStore.connect()` to wait for the first connection instead.
   */
  constructor(options: RedisShortLivedStateStoreOptions) {
    super();
    this.prefix = options.keyPrefix ?? '';
    const topology = parseRedisUrl(options.url);
    if (topology.kind === 'cluster' && /[{}]/.test(this.prefix)) {
      throw new TypeError('a key prefix for Redis Cluster must not contain { or }: it would move keys between slots');
    }
    this.endpoint = describeRedisTopology(topology);
    const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    const client = createRedisClient(topology, {
      name: options.clientName ?? 'tessera-short-lived-state',
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    });
    const context = {
      prefix: this.prefix,
      lossMarkerKey: this.valueKey(STORE_DATA_LOST_AT_KEY),
      endpoint: this.endpoint,
      commandTimeoutMs,
      ...(options.logger && { logger: options.logger }),
    };
    this.connection =
      topology.kind === 'cluster'
        ? new ClusterStoreConnection(client as RedisClusterClient, context)
        : new PrimaryStoreConnection(client, context, topology.kind === 'sentinel');
    this.redis = this.connection.commands;
  }

  /** Connects and resolves once Redis answers; rejects (and releases the client) otherwise. */
  static async connect(options: RedisShortLivedStateStoreOptions): Promise<RedisShortLivedStateStore> {
    const store = new RedisShortLivedStateStore(options);
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        store.connection.ready,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`Redis at ${store.endpoint} did not become ready within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
      return store;
    } catch (err) {
      await store.close();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  override async put(key: string, value: string, ttlMs: number): Promise<void> {
    assertTtl(ttlMs);
    const redisKey = this.valueKey(key);
    await this.run('put', redisKey, () => this.redis.set(redisKey, value, { expiration: { type: 'PX', value: ttlMs } }));
  }

  override async putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    assertTtl(ttlMs);
    const redisKey = this.valueKey(key);
    const reply = await this.run('put_if_absent', redisKey, () =>
      this.redis.set(redisKey, value, { expiration: { type: 'PX', value: ttlMs }, condition: 'NX' }),
    );
    return reply !== null;
  }

  override async get(key: string): Promise<string | null> {
    const redisKey = this.valueKey(key);
    return asString(await this.run('get', redisKey, () => this.redis.get(redisKey)));
  }

  override async take(key: string): Promise<string | null> {
    // GETDEL (Redis 6.2+) reads and deletes in one command: a code is redeemed at most once.
    const redisKey = this.valueKey(key);
    return asString(await this.run('take', redisKey, () => this.redis.getDel(redisKey)));
  }

  override async delete(key: string): Promise<void> {
    const redisKey = this.valueKey(key);
    await this.run('delete', redisKey, () => this.redis.del(redisKey));
  }

  override async revoke(set: string, member: string, ttlMs: number): Promise<void> {
    assertTtl(ttlMs);
    const redisKey = this.revocationKey(set, member);
    await this.run('revoke', redisKey, () => this.redis.set(redisKey, '1', { expiration: { type: 'PX', value: ttlMs } }));
  }

  override async isRevoked(set: string, member: string): Promise<boolean> {
    const redisKey = this.revocationKey(set, member);
    return (await this.run('is_revoked', redisKey, () => this.redis.exists(redisKey))) === 1;
  }

  override async readMany(reads: StoreReads): Promise<StoreReadResults> {
    const keys = [...reads.values.map((key) => this.valueKey(key)), ...reads.revocations.map(([set, member]) => this.revocationKey(set, member))];
    if (keys.length === 0) return { values: [], revoked: [] };
    // One MGET where keys may share a command; on a Cluster one GET per key, each to its slot's
    // primary (node-redis sends those issued in the same tick together).
    const replies = this.connection.multiKey
      ? await this.run('read_many', keys[0]!, () => this.redis.mGet(keys))
      : await Promise.all(keys.map((key) => this.run('read_many', key, () => this.redis.get(key))));
    const count = reads.values.length;
    return {
      values: replies.slice(0, count).map(asString),
      // A revocation is a key holding '1' (see `revoke`): present means revoked.
      revoked: replies.slice(count).map((reply) => reply !== null && reply !== undefined),
    };
  }

  override async increment(key: string, windowMs: number): Promise<WindowCount> {
    assertTtl(windowMs);
    // One script, so INCR and the expiry of a fresh window are one atomic step: a counter can never
    // be left without an expiry (which would lock its key out for good).
    const redisKey = this.counterKey(key);
    const reply = (await this.run('increment', redisKey, () =>
      this.redis.eval(INCREMENT_SCRIPT, { keys: [redisKey], arguments: [String(windowMs)] }),
    )) as [number, number];
    return { count: Number(reply[0]), resetInMs: Math.max(1, Number(reply[1])) };
  }

  override async resetCounter(key: string): Promise<void> {
    const redisKey = this.counterKey(key);
    await this.run('reset_counter', redisKey, () => this.redis.del(redisKey));
  }

  override async ping(): Promise<void> {
    try {
      await this.connection.ping();
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      throw new StoreUnavailableError('the short-lived-state store (Redis) did not answer', { cause: error });
    }
  }

  override async close(): Promise<void> {
    this.connection.close();
  }

  private valueKey(key: string): string {
    return `${this.prefix}kv:${key}`;
  }

  private revocationKey(set: string, member: string): string {
    return `${this.prefix}rev:${set}:${member}`;
  }

  private counterKey(key: string): string {
    return `${this.prefix}ctr:${key}`;
  }

  /**
   * Runs one command on `redisKey`; every failure of the client becomes a StoreUnavailableError
   * (fail closed). `operation` names the store method in the store latency metric.
   */
  private async run<T>(operation: string, redisKey: string, command: () => Promise<T>): Promise<T> {
    const connection = this.connection;
    connection.assertAvailable(redisKey);
    const epoch = connection.epoch;
    const observed = storeOperationCompleted.active;
    const started = observed ? performance.now() : 0;
    let result: T;
    try {
      result = await connection.withDeadline(command());
    } catch (error) {
      if (observed) storeOperationCompleted.publish({ store: 'redis', operation, seconds: (performance.now() - started) / 1000, ok: false });
      throw new StoreUnavailableError('the short-lived-state store (Redis) did not answer', { cause: error });
    }
    if (observed) storeOperationCompleted.publish({ store: 'redis', operation, seconds: (performance.now() - started) / 1000, ok: true });
    // The answer may come from a server we have not checked yet (a new primary, a reconnection).
    if (connection.epoch !== epoch) throw new StoreUnavailableError('the connection to the short-lived-state store (Redis) changed mid-command');
    return result;
  }
}

/** INCR, and on the first increment of a window its expiry; returns the count and the ms left. */
const INCREMENT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

function asString(reply: unknown): string | null {
  if (reply === null || reply === undefined) return null;
  return typeof reply === 'string' ? reply : String(reply);
}

/** TTLs are positive integer milliseconds; anything else is a programming error. */
function assertTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new TypeError(`ttlMs must be a positive integer of milliseconds, got ${String(ttlMs)}`);
  }
}
