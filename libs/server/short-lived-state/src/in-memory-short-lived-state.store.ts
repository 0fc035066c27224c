import { Clock, SystemClock } from '@tessera/clock';
import { ShortLivedStateStore, type WindowCount } from './short-lived-state.store.js';
import { StoreUnavailableError } from './store-unavailable.error.js';

export interface InMemoryShortLivedStateStoreOptions {
  /** The clock its TTLs run on; injected so tests move time without sleeping. */
  clock?: Clock;
  /** How often expired entries are swept out, so memory stays bounded by live entries. */
  sweepIntervalMs?: number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

const DEFAULT_SWEEP_INTERVAL_MS = 30_000;

/**
 * The short-lived-state port for a single process (development, tests, one-node installs).
 *
 * Every method does its whole read-modify-write synchronously before its first (and only implicit)
 * await, so on Node's single thread `take` and `putIfAbsent` are atomic across concurrent callers,
 * just as GETDEL and SET NX are in Redis. Expiry is checked lazily on read and swept on a timer.
 */
export class InMemoryShortLivedStateStore extends ShortLivedStateStore {
  private readonly values = new Map<string, Entry>();
  /** Revocation expiries, keyed `${set}:${member}` exactly as the Redis store names its keys. */
  private readonly revocations = new Map<string, number>();
  /** Fixed-window counters, apart from values as the Redis store keeps them under `ctr:`. */
  private readonly counters = new Map<string, { count: number; expiresAt: number }>();
  private readonly clock: Clock;
  private sweepTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: InMemoryShortLivedStateStoreOptions = {}) {
    super();
    this.clock = options.clock ?? new SystemClock();
    const interval = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
    assertTtl(interval);
    this.sweepTimer = setInterval(() => this.sweep(), interval);
    // A sweep timer must never keep the process alive on its own.
    this.sweepTimer.unref();
  }

  /** Number of entries held, expired or not (until swept). For tests and metrics. */
  get size(): number {
    return this.values.size + this.revocations.size + this.counters.size;
  }

  override async put(key: string, value: string, ttlMs: number): Promise<void> {
    this.assertOpen();
    assertTtl(ttlMs);
    this.values.set(key, { value, expiresAt: this.clock.now() + ttlMs });
  }

  override async putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    this.assertOpen();
    assertTtl(ttlMs);
    if (this.live(key) !== undefined) return false;
    this.values.set(key, { value, expiresAt: this.clock.now() + ttlMs });
    return true;
  }

  override async get(key: string): Promise<string | null> {
    this.assertOpen();
    return this.live(key)?.value ?? null;
  }

  override async take(key: string): Promise<string | null> {
    this.assertOpen();
    const entry = this.live(key);
    if (entry === undefined) return null;
    this.values.delete(key);
    return entry.value;
  }

  override async delete(key: string): Promise<void> {
    this.assertOpen();
    this.values.delete(key);
  }

  override async revoke(set: string, member: string, ttlMs: number): Promise<void> {
    this.assertOpen();
    assertTtl(ttlMs);
    this.revocations.set(revocationKey(set, member), this.clock.now() + ttlMs);
  }

  override async isRevoked(set: string, member: string): Promise<boolean> {
    this.assertOpen();
    const key = revocationKey(set, member);
    const expiresAt = this.revocations.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt <= this.clock.now()) {
      this.revocations.delete(key);
      return false;
    }
    return true;
  }

  override async increment(key: string, windowMs: number): Promise<WindowCount> {
    this.assertOpen();
    assertTtl(windowMs);
    const now = this.clock.now();
    let counter = this.counters.get(key);
    if (counter === undefined || counter.expiresAt <= now) {
      counter = { count: 0, expiresAt: now + windowMs };
      this.counters.set(key, counter);
    }
    counter.count += 1;
    return { count: counter.count, resetInMs: counter.expiresAt - now };
  }

  override async resetCounter(key: string): Promise<void> {
    this.assertOpen();
    this.counters.delete(key);
  }

  override async ping(): Promise<void> {
    this.assertOpen();
  }

  override async close(): Promise<void> {
    this.closed = true;
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    this.values.clear();
    this.revocations.clear();
    this.counters.clear();
  }

  /** Drops every expired entry. Runs on the timer; public so tests can call it directly. */
  sweep(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.values) {
      if (entry.expiresAt <= now) this.values.delete(key);
    }
    for (const [key, expiresAt] of this.revocations) {
      if (expiresAt <= now) this.revocations.delete(key);
    }
    for (const [key, counter] of this.counters) {
      if (counter.expiresAt <= now) this.counters.delete(key);
    }
  }

  private live(key: string): Entry | undefined {
    const entry = this.values.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.values.delete(key);
      return undefined;
    }
    return entry;
  }

  private assertOpen(): void {
    // Same as the Redis store, whose closed client rejects every command.
    if (this.closed) throw new StoreUnavailableError('the in-process store is closed');
  }
}

/** TTLs are positive integer milliseconds; anything else is a programming error. */
function assertTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new TypeError(`ttlMs must be a positive integer of milliseconds, got ${String(ttlMs)}`);
  }
}

/** Same composition as the Redis store's `rev:${set}:${member}` keys, so both behave identically. */
function revocationKey(set: string, member: string): string {
  return `${set}:${member}`;
}
