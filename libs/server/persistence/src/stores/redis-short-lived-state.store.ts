import { ShortLivedStateStore, STORE_DATA_LOST_AT_KEY, StoreUnavailableError, type WindowCount } from '@tessera/tokens';
import { createClient, type RedisClientType } from 'redis';

export interface RedisShortLivedStateStoreLogger {
  warn(obj: object, msg: string): void;
}

export interface RedisShortLivedStateStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://` for TLS. */
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
const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * The short-lived-state port on Redis (node-redis 6).
 *
 * Availability: the offline queue is disabled, so while the connection is down every command rejects
 * at once (ClientOfflineError) instead of waiting in memory for a reconnect that may never come;
 * callers answer 503 and the readiness check (`ping`) fails. A command timeout covers a connection
 * that looks alive but does not answer. The client reconnects in the background with capped
 * exponential backoff and logs one warning per outage.
 *
 * Every failure of the client (offline, closed, timed out, connection lost mid-command) rejects
 * with a StoreUnavailableError carrying the client's error as `cause`, so callers recognise it by
 * type; only our own TypeErrors (a bad TTL) pass through unchanged.
 *
 * Data loss: a sentinel key without expiry (`${prefix}sentinel`) marks a Redis that still holds our
 * data. After every (re)connection, before any other command is allowed through, the store checks
 * it; when it is missing (a Redis restarted without persistence, or a first start), it records the
 * start of the outage under STORE_DATA_LOST_AT_KEY and sets the sentinel again. Revocation checks
 * then treat every token issued up to that moment as revoked (docs/adr/0006).
 *
 * Keys: values live at `${prefix}kv:${key}`, revocations at `${prefix}rev:${set}:${member}`, one key
 * per member with its own PX expiry, counters at `${prefix}ctr:${key}`: no multi-key commands, so it
 * runs unchanged on Redis Cluster. The namespaces never meet. Within `rev:`, set `a:b` with member `c` and set `a` with member
 * `b:c` are the same key: set names are fixed namespaces chosen in code (`${tenantId}:jti`), so
 * never make one set name a `:`-prefix of another.
 */
export class RedisShortLivedStateStore extends ShortLivedStateStore {
  private readonly client: RedisClientType;
  private readonly prefix: string;
  private readonly logger: RedisShortLivedStateStoreLogger | undefined;
  private readonly endpoint: string;
  private readonly connecting: Promise<void>;
  private inOutage = false;
  private closed = false;
  /** True only between a successful data-loss check and the next connection error. */
  private available = false;
  /** When the current outage began (epoch ms); null before the first connection. */
  private outageStartedAt: number | null = null;
  private readonly startedAt = Date.now();
  private markReady!: () => void;
  /** Resolves once the first connection passed its data-loss check. */
  private readonly firstReady = new Promise<void>((resolve) => (this.markReady = resolve));

  /**
   * Starts connecting in the background; commands reject until the connection is ready. Use
   * `RedisShortLivedStateStore.connect()` to wait for the first connection instead.
   */
  constructor(options: RedisShortLivedStateStoreOptions) {
    super();
    this.prefix = options.keyPrefix ?? '';
    this.logger = options.logger;
    this.endpoint = describeEndpoint(options.url);
    this.client = createClient({
      url: options.url,
      name: options.clientName ?? 'tessera-short-lived-state',
      disableOfflineQueue: true,
      commandOptions: { timeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS },
      socket: {
        connectTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        // Keep retrying for as long as the process lives: Redis coming back must heal the server
        // without a restart. Exponential from 100 ms, capped, with jitter against thundering herds.
        reconnectStrategy: (retries: number) =>
          Math.min(100 * 2 ** Math.min(retries, 10), MAX_RECONNECT_DELAY_MS) + Math.floor(Math.random() * 100),
      },
    }) as RedisClientType;
    // Without an 'error' listener, node-redis re-emits socket errors as an unhandled 'error' event,
    // which kills the process. Log once when an outage starts; 'ready' ends it.
    this.client.on('error', (err: unknown) => this.onError(err));
    this.client.on('end', () => this.onDisconnect());
    this.client.on('reconnecting', () => this.onDisconnect());
    this.client.on('ready', () => {
      this.inOutage = false;
      void this.checkForDataLoss();
    });
    // connect() keeps retrying until ready, so it rejects only when closed while connecting.
    this.connecting = this.client.connect().then(() => this.firstReady);
    // The background connection attempt must not surface as an unhandled rejection.
    this.connecting.catch(() => undefined);
  }

  /** Connects and resolves once Redis answers; rejects (and releases the client) otherwise. */
  static async connect(options: RedisShortLivedStateStoreOptions): Promise<RedisShortLivedStateStore> {
    const store = new RedisShortLivedStateStore(options);
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        store.connecting,
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
    await this.run(() => this.client.set(this.valueKey(key), value, { expiration: { type: 'PX', value: ttlMs } }));
  }

  override async putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    assertTtl(ttlMs);
    const reply = await this.run(() =>
      this.client.set(this.valueKey(key), value, { expiration: { type: 'PX', value: ttlMs }, condition: 'NX' }),
    );
    return reply !== null;
  }

  override async get(key: string): Promise<string | null> {
    return asString(await this.run(() => this.client.get(this.valueKey(key))));
  }

  override async take(key: string): Promise<string | null> {
    // GETDEL (Redis 6.2+) reads and deletes in one command: a code is redeemed at most once.
    return asString(await this.run(() => this.client.getDel(this.valueKey(key))));
  }

  override async delete(key: string): Promise<void> {
    await this.run(() => this.client.del(this.valueKey(key)));
  }

  override async revoke(set: string, member: string, ttlMs: number): Promise<void> {
    assertTtl(ttlMs);
    await this.run(() => this.client.set(this.revocationKey(set, member), '1', { expiration: { type: 'PX', value: ttlMs } }));
  }

  override async isRevoked(set: string, member: string): Promise<boolean> {
    return (await this.run(() => this.client.exists(this.revocationKey(set, member)))) === 1;
  }

  override async increment(key: string, windowMs: number): Promise<WindowCount> {
    assertTtl(windowMs);
    // One script, so INCR and the expiry of a fresh window are one atomic step: a counter can never
    // be left without an expiry (which would lock its key out for good).
    const reply = (await this.run(() =>
      this.client.eval(INCREMENT_SCRIPT, { keys: [this.counterKey(key)], arguments: [String(windowMs)] }),
    )) as unknown as [number, number];
    return { count: Number(reply[0]), resetInMs: Math.max(1, Number(reply[1])) };
  }

  override async resetCounter(key: string): Promise<void> {
    await this.run(() => this.client.del(this.counterKey(key)));
  }

  override async ping(): Promise<void> {
    await this.run(() => this.client.ping());
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.available = false;
    // destroy() rather than quit(): quit waits for a reply that never comes while disconnected.
    // Nothing is lost: every command of this store is a single round trip already answered or failed.
    this.client.destroy();
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

  /** Runs one command; every failure of the client becomes a StoreUnavailableError (fail closed). */
  private async run<T>(command: () => Promise<T>): Promise<T> {
    if (!this.available) throw new StoreUnavailableError('the short-lived-state store (Redis) is unavailable');
    try {
      return await command();
    } catch (error) {
      throw new StoreUnavailableError('the short-lived-state store (Redis) did not answer', { cause: error });
    }
  }

  private onDisconnect(): void {
    if (this.available || this.outageStartedAt === null) this.outageStartedAt = Date.now();
    this.available = false;
  }

  /** After each connection: is our data still there? See the class comment. */
  private async checkForDataLoss(): Promise<void> {
    try {
      const sentinel = `${this.prefix}sentinel`;
      if ((await this.client.exists(sentinel)) === 0) {
        // The outage began when we lost the connection; on a first connection we cannot know when
        // the data went, so everything issued before this process started counts as lost.
        const lostAtMs = this.outageStartedAt ?? this.startedAt - 1_000;
        await this.client.set(this.valueKey(STORE_DATA_LOST_AT_KEY), String(Math.floor(lostAtMs / 1000)));
        await this.client.set(sentinel, String(Date.now()));
        if (this.outageStartedAt !== null) {
          this.logger?.warn(
            { endpoint: this.endpoint },
            'Redis came back without our data (restarted without persistence?): tokens issued before the outage now count as revoked',
          );
        }
      }
      if (this.closed) return;
      this.available = true;
      this.outageStartedAt = null;
      this.markReady();
    } catch {
      // The connection failed again during the check: the next 'ready' checks again.
    }
  }

  private onError(err: unknown): void {
    this.onDisconnect();
    if (this.inOutage || this.closed) return;
    this.inOutage = true;
    const e = err as { name?: string; code?: string; message?: string };
    this.logger?.warn(
      { endpoint: this.endpoint, error: e?.name, code: e?.code, detail: redact(String(e?.message ?? err)) },
      'Redis connection lost; short-lived state unavailable until it reconnects',
    );
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

/** host:port of a Redis URL, never its credentials. */
function describeEndpoint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}:${u.port || '6379'}`;
  } catch {
    return '(unparseable Redis URL)';
  }
}

/** Belt and braces: no error text that reaches a log may carry a URL's password. */
function redact(text: string): string {
  return text.replace(/(\w+:\/\/)[^@\s/]*@/g, '$1***@');
}

/** TTLs are positive integer milliseconds; anything else is a programming error. */
function assertTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new TypeError(`ttlMs must be a positive integer of milliseconds, got ${String(ttlMs)}`);
  }
}
