import diagnostics from 'node:diagnostics_channel';

/**
 * One named event the server publishes for whoever observes it (the Prometheus metrics today),
 * on a Node diagnostics channel: the code that counts never imports a metrics library, and an
 * event nobody subscribed to costs one boolean read. Publishers on a hot path test `active`
 * before building the message, so that nothing is allocated while metrics are off.
 */
export class ObservedEvent<T> {
  private readonly channel: diagnostics.Channel;

  constructor(readonly name: string) {
    // Held here for the life of the process: Node 20 may otherwise collect a channel (and its
    // subscriptions) that no one references.
    this.channel = diagnostics.channel(name);
  }

  /** Whether anyone listens; false while metrics are off. */
  get active(): boolean {
    return this.channel.hasSubscribers;
  }

  publish(message: T): void {
    if (this.channel.hasSubscribers) this.channel.publish(message);
  }

  /** Returns the function that ends this subscription. */
  subscribe(listener: (message: T) => void): () => void {
    const handler = (message: unknown) => listener(message as T);
    this.channel.subscribe(handler);
    return () => void this.channel.unsubscribe(handler);
  }
}
