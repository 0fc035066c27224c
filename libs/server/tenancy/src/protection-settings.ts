/**
 * Per-tenant rate limits and sign-in protection. A tenant's settings store only what an admin set;
 * everything else takes the defaults below (so that better defaults reach existing tenants).
 * docs/adr/0006-rate-limits-brute-force-and-fail-closed.md explains the numbers.
 */

/** At most `max` requests per fixed window of `windowSeconds`. */
export interface RateLimit {
  max: number;
  windowSeconds: number;
}

export interface RateLimitSettings {
  /** Token endpoint requests per authenticated client. Null: no limit. */
  tokenPerClient: RateLimit | null;
  /** Sign-in form submissions per client IP address. */
  loginPerIp: RateLimit | null;
  /** Sign-in form submissions per username (whatever the IP). */
  loginPerUsername: RateLimit | null;
  /** Admin API requests per bearer token. Read from tenant `admin`, whose tokens the admin API takes. */
  adminApiPerToken: RateLimit | null;
}

export interface LoginProtectionSettings {
  /** Failures (per username or per IP, within the window) after which every further failure is answered late. */
  delayAfterFailures: number;
  /** The longest such delay; it doubles from 250 ms per further failure up to this. */
  maxDelayMs: number;
  /** Failures of one username within the window that lock it for `lockSeconds`. */
  userLockAfterFailures: number;
  /** Failures from one IP address within the window that lock that address for `lockSeconds`. */
  ipLockAfterFailures: number;
  failureWindowSeconds: number;
  lockSeconds: number;
  /**
   * At most this many username locks per username per 24 hours: past it, failures are only delayed,
   * so that nobody can keep a user locked out for good by failing on purpose. 0: never lock usernames.
   */
  maxUserLocksPerDay: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  // Off: a client's legitimate volume differs by orders of magnitude between deployments (a backend
  // doing client_credentials thousands of times a second is normal); tenants set their own.
  tokenPerClient: null,
  loginPerIp: { max: 300, windowSeconds: 60 },
  loginPerUsername: { max: 30, windowSeconds: 60 },
  // Off for the same reason as tokenPerClient: automation may drive the admin API hard.
  adminApiPerToken: null,
};

export const DEFAULT_LOGIN_PROTECTION: LoginProtectionSettings = {
  delayAfterFailures: 3,
  maxDelayMs: 5_000,
  userLockAfterFailures: 10,
  ipLockAfterFailures: 50,
  failureWindowSeconds: 15 * 60,
  lockSeconds: 15 * 60,
  maxUserLocksPerDay: 3,
};

export type RateLimitOverrides = Partial<RateLimitSettings>;
export type LoginProtectionOverrides = Partial<LoginProtectionSettings>;

export function effectiveRateLimits(overrides: RateLimitOverrides | undefined): RateLimitSettings {
  return { ...DEFAULT_RATE_LIMITS, ...definedOnly(overrides) };
}

export function effectiveLoginProtection(overrides: LoginProtectionOverrides | undefined): LoginProtectionSettings {
  return { ...DEFAULT_LOGIN_PROTECTION, ...definedOnly(overrides) };
}

/** A patch over stored overrides: a key given replaces (null included), a key absent is kept. */
export function mergeOverrides<T extends object>(base: Partial<T> | undefined, patch: Partial<T> | undefined): Partial<T> | undefined {
  const merged = { ...definedOnly(base), ...definedOnly(patch) } as Partial<T>;
  return Object.keys(merged).length > 0 ? merged : undefined;
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
