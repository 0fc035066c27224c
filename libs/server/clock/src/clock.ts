/**
 * The time source of every rule that depends on time (token lifetimes, session timeouts, max_age,
 * key publication windows, lock-outs). Injected, so a spec moves time by hand instead of sleeping
 * (ARCHITECTURE.md example 8); lint forbids reading the system time anywhere else in server code.
 */
export abstract class Clock {
  /** Milliseconds since the epoch. */
  abstract now(): number;

  /** The current time as a Date (a database timestamp, for instance). */
  date(): Date {
    return new Date(this.now());
  }
}
