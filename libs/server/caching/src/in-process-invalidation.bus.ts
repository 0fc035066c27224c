import { InvalidationBus } from './invalidation-bus.js';

/** The single-process bus: invalidations reach this process's caches only (no REDIS_URL, one process). */
export class InProcessInvalidationBus extends InvalidationBus {
  private readonly handlers = new Map<string, ((key: string | null) => void)[]>();

  async publish(topic: string, key: string): Promise<void> {
    for (const handler of this.handlers.get(topic) ?? []) handler(key);
  }

  subscribe(topic: string, handler: (key: string | null) => void): void {
    this.handlers.set(topic, [...(this.handlers.get(topic) ?? []), handler]);
  }
}
