import { InvalidationBus } from '@tessera/caching';
import { CommandDeadlines } from '../redis/command-deadlines.js';
import { createRedisClient, MAX_RECONNECT_DELAY_MS, type AnyRedisClient } from '../redis/redis-clients.js';
import { parseRedisUrl } from '../redis/redis-url.js';

const CHANNEL_PREFIX = 'tessera:invalidate:';
/** Longer than a reconnection attempt can take: the backoff cap plus a connect timeout, and margin. */
const SETTLE_MS = MAX_RECONNECT_DELAY_MS + 5_000 + 2_000;

export interface RedisInvalidationBusLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Cache invalidation across server processes over Redis pub/sub (one server, a Cluster, where
 * PUBLISH reaches every node, or a Sentinel-managed primary). A subscriber that lost its connection
 * may have missed messages, so on every reconnection all subscribers are told to drop everything
 * (`null`); until then the caches' TTL bounds staleness.
 */
export class RedisInvalidationBus extends InvalidationBus {
  private readonly handlers = new Map<string, ((key: string | null) => void)[]>();
  private readonly channels = new Set<string>();
  private connectedOnce = false;
  private resetUntil = 0;
  private resetTimer: NodeJS.Timeout | undefined;
  /** A stalled Redis must not hold up the admin request whose change is being announced. */
  private readonly deadlines = new CommandDeadlines(2_000);

  private constructor(
    private readonly publisher: AnyRedisClient,
    private readonly subscriber: AnyRedisClient,
    private readonly logger?: RedisInvalidationBusLogger,
  ) {
    super();
  }

  static async connect(url: string, logger?: RedisInvalidationBusLogger): Promise<RedisInvalidationBus> {
    const topology = parseRedisUrl(url);
    const settings = { connectTimeoutMs: 5_000, name: 'tessera-invalidation' };
    const publisher = createRedisClient(topology, settings);
    // A Cluster subscriber needs one node, not a connection to every primary.
    const subscriber = createRedisClient(topology, { ...settings, minimizeConnections: true });
    const bus = new RedisInvalidationBus(publisher, subscriber, logger);
    let warned = false;
    const warn = (error: unknown) => {
      if (!warned) logger?.warn({ err: (error as Error)?.message ?? String(error) }, 'cache invalidation bus lost its Redis connection');
      warned = true;
    };
    for (const client of [publisher, subscriber]) {
      client.on('error', warn);
      client.on('node-error', warn);
    }
    // A new subscription connection (a reconnection, a Cluster node change, a failover): messages
    // may have been missed meanwhile.
    const reconnected = () => {
      warned = false;
      if (bus.connectedOnce) bus.resetAll();
    };
    subscriber.on(topology.kind === 'cluster' ? 'node-ready' : 'ready', reconnected);
    if (topology.kind === 'sentinel') {
      subscriber.on('topology-change', (event: { type?: string }) => event?.type === 'MASTER_CHANGE' && reconnected());
      // A Sentinel client's Pub/Sub connection reconnects to the same primary without any event
      // but its errors. Reconnection attempts come at most MAX_RECONNECT_DELAY_MS apart, so caches
      // dropped every second until SETTLE_MS after the last error are dropped after it, too.
      subscriber.on('error', () => bus.keepResetting(SETTLE_MS));
    }
    await Promise.all([publisher.connect(), subscriber.connect()]);
    bus.connectedOnce = true;
    return bus;
  }

  async publish(topic: string, key: string): Promise<void> {
    try {
      await this.deadlines.track(this.publisher.publish(CHANNEL_PREFIX + topic, key));
    } catch (error) {
      // The change is stored; other processes converge when their cache entries expire.
      this.logger?.warn({ err: (error as Error).message, topic }, 'could not publish a cache invalidation');
    }
    this.deliver(topic, key);
  }

  subscribe(topic: string, handler: (key: string | null) => void): void {
    this.handlers.set(topic, [...(this.handlers.get(topic) ?? []), handler]);
    const channel = CHANNEL_PREFIX + topic;
    if (this.channels.has(channel)) return;
    this.channels.add(channel);
    void this.subscriber
      .subscribe(channel, (message) => this.deliver(topic, message))
      .catch((error: Error) => this.logger?.warn({ err: error.message, topic }, 'could not subscribe to cache invalidations'));
  }

  async close(): Promise<void> {
    clearTimeout(this.resetTimer);
    this.resetUntil = 0;
    this.deadlines.close();
    await Promise.all([this.publisher, this.subscriber].map((client) => Promise.resolve(client.destroy()).catch(() => undefined)));
  }

  private deliver(topic: string, key: string | null): void {
    for (const handler of this.handlers.get(topic) ?? []) handler(key);
  }

  private keepResetting(forMs: number): void {
    this.resetUntil = Math.max(this.resetUntil, Date.now() + forMs);
    if (this.resetTimer) return;
    const tick = () => {
      this.resetAll();
      this.resetTimer = Date.now() < this.resetUntil ? setTimeout(tick, 1_000).unref() : undefined;
    };
    tick();
  }

  private resetAll(): void {
    for (const topic of this.handlers.keys()) this.deliver(topic, null);
  }
}
