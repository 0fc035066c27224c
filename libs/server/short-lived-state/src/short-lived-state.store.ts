/**
 * The short-lived-state port: authorization codes, revocations, sessions and other state that lives
 * for seconds to hours. Implemented twice: the in-process store beside this port (single-process use)
 * and the Redis store in `@tessera/persistence`; one contract suite (`@tessera/short-lived-state/testing`)
 * runs against both.
 *
 * Keys are opaque strings; callers put the tenant id in every key they build, so key spaces of
 * different tenants never meet.
 *
 * TTLs are positive integer milliseconds; any other TTL is a programming error and rejects with a
 * TypeError. Every method rejects with a StoreUnavailableError when the backing store is unreachable
 * or does not answer in time (the Redis store fails fast rather than queueing), so callers answer 503
 * instead of hanging.
 *
 * Data loss: a store that notices it lost its data (a Redis restarted without persistence) records
 * the moment under STORE_DATA_LOST_AT_KEY (whole seconds since the epoch, readable with `get`) before
 * it answers any other command, so that revocation checks can treat everything issued before it as
 * revoked (fail closed) rather than forget revocations they can no longer see.
 */
/** Where a store records when it noticed losing its data (see the class comment). */
export const STORE_DATA_LOST_AT_KEY = 'store:data-lost-at';

export interface WindowCount {
  /** Increments within the current window, this one included (1 for the first). */
  count: number;
  /** Milliseconds until the window ends and the count starts again from zero (> 0). */
  resetInMs: number;
}

/** Several reads at once: values by key and memberships of revocation sets. */
export interface StoreReads {
  values: readonly string[];
  revocations: ReadonlyArray<readonly [set: string, member: string]>;
}

export interface StoreReadResults {
  /** In the order of `values`: what `get` would return. */
  values: Array<string | null>;
  /** In the order of `revocations`: what `isRevoked` would return. */
  revoked: boolean[];
}

export abstract class ShortLivedStateStore {
  /** Stores `value` under `key` for `ttlMs` milliseconds, replacing any previous value. */
  abstract put(key: string, value: string, ttlMs: number): Promise<void>;

  /** Stores only if the key is absent; true when this call stored it. */
  abstract putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;

  /** The live value, or null when absent or expired. */
  abstract get(key: string): Promise<string | null>;

  /**
   * Returns the value and deletes it in one atomic step: of any number of concurrent callers,
   * exactly one receives the value (RFC 6749 section 4.1.2: a code is single-use).
   */
  abstract take(key: string): Promise<string | null>;

  abstract delete(key: string): Promise<void>;

  /**
   * Adds `member` to the revocation set `set` until `ttlMs` from now; each member expires on its own.
   * A set name is a fixed namespace chosen in code (`${tenantId}:jti`); stores join set and member
   * with ':', so never make one set name a ':'-prefix of another.
   */
  abstract revoke(set: string, member: string, ttlMs: number): Promise<void>;

  /** Whether `member` is in the revocation set `set` (and its entry has not expired). */
  abstract isRevoked(set: string, member: string): Promise<boolean>;

  /**
   * Fixed-window counter: adds one to the counter at `key` and returns the new count and the
   * milliseconds until the window ends. The first increment starts the window; the counter then
   * disappears `windowMs` after it (later increments never extend it). Atomic across concurrent
   * callers and processes: of N concurrent increments on a fresh key, the counts are exactly 1..N.
   * Counters live in their own key space, apart from values and revocations.
   */
  abstract increment(key: string, windowMs: number): Promise<WindowCount>;

  /** Drops the counter at `key` (the next increment starts a new window); no error when absent. */
  abstract resetCounter(key: string): Promise<void>;

  /**
   * `get` and `isRevoked` for several keys in one go: the same answers as the single calls, in one
   * round trip where the store can (the Redis store sends one MGET, except on a Cluster). Rejects as
   * a whole if any read cannot be answered.
   */
  async readMany(reads: StoreReads): Promise<StoreReadResults> {
    const [values, revoked] = await Promise.all([
      Promise.all(reads.values.map((key) => this.get(key))),
      Promise.all(reads.revocations.map(([set, member]) => this.isRevoked(set, member))),
    ]);
    return { values, revoked };
  }

  /** Resolves when the store answers; rejects otherwise. Used by readiness checks. */
  abstract ping(): Promise<void>;

  /** Releases connections and timers. */
  abstract close(): Promise<void>;
}
