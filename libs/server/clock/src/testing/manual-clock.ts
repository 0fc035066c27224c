import { Clock } from '../clock.js';

/** A clock that moves only when a spec moves it: expiry rules test without sleeping. */
export class ManualClock extends Clock {
  private current: number;

  /** Starts at `start` (epoch ms or an ISO date string). */
  constructor(start: number | string = '2030-01-01T00:00:00.000Z') {
    super();
    this.current = typeof start === 'string' ? Date.parse(start) : start;
    if (!Number.isFinite(this.current)) throw new TypeError(`not a time: ${String(start)}`);
  }

  now(): number {
    return this.current;
  }

  /** Lets `ms` milliseconds pass. */
  advance(ms: number): void {
    this.current += ms;
  }

  /** Jumps to `at` (epoch ms). */
  set(at: number): void {
    this.current = at;
  }
}
