/**
 * The drain before a graceful shutdown. From SIGTERM on, /readyz answers 503 so that load balancers
 * and Kubernetes take the process out of rotation, while every request, in flight or new, is still
 * served (with `Connection: close`, so that a balancer does not keep reusing connections to it);
 * after the drain period the listener closes and in-flight requests finish. One per process.
 */
export class ShutdownDrain {
  private started = false;

  get draining(): boolean {
    return this.started;
  }

  /** Marks the process as draining and resolves after `seconds`. */
  start(seconds: number): Promise<void> {
    this.started = true;
    return seconds > 0 ? new Promise((resolve) => setTimeout(resolve, seconds * 1000)) : Promise.resolve();
  }
}
