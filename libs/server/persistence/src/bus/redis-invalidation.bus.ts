import { InvalidationBus } from '@tessera/caching';
import { createClient, type RedisClientType } from 'redis';

const CHANNEL_PREFIX = 'tessera:invalidate:';

export interface RedisInvalidationBusLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Cache invalidation across server processes over Redis pub/sub. A subscriber that lost its
 * connection may have missed messages, so on every reconnect all subscribers are told to drop
 * everything (`null`); until then the caches' TTL bounds staleness.
 */
export class RedisInvalidationBus extends InvalidationBus {
  private readonly handlers = new Map<string, ((key: string | null) => void)[]>();
  private readonly channels = new Set<string>();
  private connectedOnce = false;

  private constructor(
    private readonly publisher: RedisClientType,
    private readonly subscriber: RedisClientType,
    private readonly logger?: RedisInvalidationBusLogger,
  ) {
    super();
  }

  static async connect(url: string, logger?: RedisInvalidationBusLogger): Promise<RedisInvalidationBus> {
    const options = {
      url,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000), connectTimeout: 5_000 },
    };
    const publisher = createClient(options) as RedisClientType;
    const subscriber = createClient(options) as RedisClientType;
    const bus = new RedisInvalidationBus(publisher, subscriber, logger);
    let warned = false;
    for (const client of [publisher, subscriber]) {
      client.on('error', (error: Error) => {
        if (!warned) logger?.warn({ err: error.message }, 'cache invalidation bus lost its Redis connection');
        warned = true;
      });
    }
    subscriber.on('ready', () => {
      warned = false;
      if (bus.connectedOnce) bus.resetAll();
      bus.connectedOnce = true;
    });
    await Promise.all([publisher.connect(), subscriber.connect()]);
    return bus;
  }

  async publish(topic: string, key: string): Promise<void> {
    try {
      await this.publisher.publish(CHANNEL_PREFIX + topic, key);
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
    await Promise.all([this.publisher.destroy(), this.subscriber.destroy()].map((p) => Promise.resolve(p).catch(() => undefined)));
  }

  private deliver(topic: string, key: string | null): void {
    for (const handler of this.handlers.get(topic) ?? []) handler(key);
  }

  private resetAll(): void {
    for (const topic of this.handlers.keys()) this.deliver(topic, null);
  }
}
