/**
 * Command deadlines without a timer per command. node-redis's own `timeout` option creates an
 * AbortSignal.timeout (a timer, listeners and a DOMException) for every command, about a sixth of
 * the CPU of an introspection request. Here one interval timer advances a coarse clock in ticks; a
 * command registers its reject function in the set of the tick it started in, and when a tick is
 * older than the deadline every command still in it is rejected. A command therefore gets between
 * `ms` and `ms` plus one tick (an eighth of `ms`, at least 25 ms).
 */
export class CommandDeadlines {
  private tick = 0;
  private readonly pending = new Map<number, Set<(error: Error) => void>>();
  private readonly ticksToExpire: number;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly ms: number) {
    const tickMs = Math.max(25, Math.floor(ms / 8));
    this.ticksToExpire = Math.ceil(ms / tickMs);
    this.timer = setInterval(() => this.advance(), tickMs).unref();
  }

  track<T>(promise: Promise<T>): Promise<T> {
    const tick = this.tick;
    let set = this.pending.get(tick);
    if (set === undefined) {
      set = new Set();
      this.pending.set(tick, set);
    }
    const waiting = set;
    return new Promise<T>((resolve, reject) => {
      waiting.add(reject);
      promise.then(
        (value) => {
          waiting.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          waiting.delete(reject);
          reject(error);
        },
      );
    });
  }

  close(): void {
    clearInterval(this.timer);
  }

  private advance(): void {
    this.tick++;
    for (const [tick, waiting] of this.pending) {
      if (waiting.size > 0 && this.tick - tick <= this.ticksToExpire) continue;
      this.pending.delete(tick);
      if (waiting.size === 0) continue;
      const error = new Error(`Redis did not answer within ${this.ms} ms`);
      for (const reject of waiting) reject(error);
    }
  }
}
