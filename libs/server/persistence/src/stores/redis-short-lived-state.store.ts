import { ShortLivedStateStore } from '@tessera/tokens';
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
 * Keys: values live at `${prefix}kv:${key}`, revocations at `${prefix}rev:${set}:${member}`, one key
 * per member with its own PX expiry: no multi-key commands, so it runs unchanged on Redis Cluster.
 * The two namespaces never meet. Within `rev:`, set `a:b` with member `c` and set `a` with member
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
    this.client.on('ready', () => {
      this.inOutage = false;
    });
    // connect() keeps retrying until ready, so it rejects only when closed while connecting.
    this.connecting = this.client.connect().then(() => undefined);
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
    await this.client.set(this.valueKey(key), value, { expiration: { type: 'PX', value: ttlMs } });
  }

  override async putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    assertTtl(ttlMs);
    const reply = await this.client.set(this.valueKey(key), value, {
      expiration: { type: 'PX', value: ttlMs },
      condition: 'NX',
    });
    return reply !== null;
  }

  override async get(key: string): Promise<string | null> {
    return asString(await this.client.get(this.valueKey(key)));
  }

  override async take(key: string): Promise<string | null> {
    // GETDEL (Redis 6.2+) reads and deletes in one command: a code is redeemed at most once.
    return asString(await this.client.getDel(this.valueKey(key)));
  }

  override async delete(key: string): Promise<void> {
    await this.client.del(this.valueKey(key));
  }

  override async revoke(set: string, member: string, ttlMs: number): Promise<void> {
    assertTtl(ttlMs);
    await this.client.set(this.revocationKey(set, member), '1', { expiration: { type: 'PX', value: ttlMs } });
  }

  override async isRevoked(set: string, member: string): Promise<boolean> {
    return (await this.client.exists(this.revocationKey(set, member))) === 1;
  }

  override async ping(): Promise<void> {
    await this.client.ping();
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
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

  private onError(err: unknown): void {
    if (this.inOutage || this.closed) return;
    this.inOutage = true;
    const e = err as { name?: string; code?: string; message?: string };
    this.logger?.warn(
      { endpoint: this.endpoint, error: e?.name, code: e?.code, detail: redact(String(e?.message ?? err)) },
      'Redis connection lost; short-lived state unavailable until it reconnects',
    );
  }
}

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
