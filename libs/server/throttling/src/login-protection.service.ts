import { Injectable } from '@nestjs/common';
import { AuditService, type RequestOrigin } from '@tessera/audit';
import { Clock } from '@tessera/clock';
import { signInAttempted, signInLocked } from '@tessera/observability';
import { ShortLivedStateStore } from '@tessera/short-lived-state';
import { effectiveLoginProtection, TenantsService, type LoginProtectionSettings } from '@tessera/tenancy';
import { UsersService } from '@tessera/users';
import { hashed } from './rate-limiter.service.js';

/** Waits; injected so that specs do not sleep. */
export abstract class Sleeper {
  abstract sleep(ms: number): Promise<void>;
}

export class TimerSleeper extends Sleeper {
  sleep(ms: number): Promise<void> {
    return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
  }
}

export interface SignInAttempt {
  tenant: { id: string; slug: string };
  username: string;
  ip: string | null;
  origin: RequestOrigin;
  /** Where the attempt came from, for the audit record: `login_form`, `password_grant`. */
  via: string;
}

export type LockState = { locked: false } | { locked: true; scope: 'user' | 'ip'; retryAfterSeconds: number };

/** The first delay after `delayAfterFailures`; it doubles per further failure up to `maxDelayMs`. */
const BASE_DELAY_MS = 250;
const DAY_MS = 24 * 3600_000;

/**
 * Brute-force protection of password sign-in (login form and password grant), shared by every
 * server process through the short-lived-state store:
 * - every failure counts against the username and against the IP address (fixed window);
 * - past `delayAfterFailures` in the window, each further failure is answered only after a delay
 *   that doubles from 250 ms up to `maxDelayMs`;
 * - `userLockAfterFailures` failures lock the username, `ipLockAfterFailures` the IP address, for
 *   `lockSeconds`: no password is checked while locked (so none can be guessed). Each lock is
 *   audited once (`user.locked`, `sign_in.ip_locked`);
 * - a username is locked at most `maxUserLocksPerDay` times a day: past that, failures are only
 *   delayed, so failing on purpose cannot keep a user out for good (docs/adr/0006 on the trade-off).
 * A successful sign-in clears the username's failures, never the IP's (an attacker could otherwise
 * clear them with an account of their own).
 */
@Injectable()
export class LoginProtection {
  constructor(
    private readonly store: ShortLivedStateStore,
    private readonly tenants: TenantsService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sleeper: Sleeper,
  ) {}

  /** Whether this username or this IP is locked; checked before any password is (a locked attempt is counted). */
  async check(attempt: Pick<SignInAttempt, 'tenant' | 'username' | 'ip'> & Partial<Pick<SignInAttempt, 'via'>>): Promise<LockState> {
    const keys = this.keys(attempt);
    const [userLock, ipLock] = await Promise.all([
      this.store.get(keys.userLock),
      keys.ipLock ? this.store.get(keys.ipLock) : null,
    ]);
    const now = this.clock.now();
    for (const [scope, until] of [['ip', ipLock], ['user', userLock]] as const) {
      if (until !== null && Number(until) > now) {
        signInAttempted.publish({ tenant: attempt.tenant, outcome: 'locked', via: attempt.via ?? 'unknown' });
        return { locked: true, scope, retryAfterSeconds: Math.max(1, Math.ceil((Number(until) - now) / 1000)) };
      }
    }
    return { locked: false };
  }

  /**
   * Counts a failed attempt, locks what crossed its threshold, and waits the progressive delay.
   * Resolves with the lock state after this failure (locked when this failure locked it).
   */
  async failed(attempt: SignInAttempt): Promise<LockState> {
    const settings = await this.settings(attempt.tenant.slug);
    const keys = this.keys(attempt);
    const windowMs = settings.failureWindowSeconds * 1000;
    signInAttempted.publish({ tenant: attempt.tenant, outcome: 'failure', via: attempt.via });
    const [user, ip] = await Promise.all([
      this.store.increment(keys.userFailures, windowMs),
      keys.ipFailures ? this.store.increment(keys.ipFailures, windowMs) : null,
    ]);
    let state: LockState = { locked: false };
    if (ip && ip.count >= settings.ipLockAfterFailures && (await this.lock(keys.ipLock!, keys.ipFailures!, settings))) {
      state = { locked: true, scope: 'ip', retryAfterSeconds: settings.lockSeconds };
      signInLocked.publish({ tenant: attempt.tenant, scope: 'ip' });
      await this.audit.record(attempt.origin, attempt.tenant.id, 'sign_in.ip_locked', { type: 'ip', id: attempt.ip }, {
        failures: ip.count,
        lockedForSeconds: settings.lockSeconds,
        via: attempt.via,
      });
    }
    if (user.count >= settings.userLockAfterFailures && (await this.lockUser(keys, settings))) {
      state = { locked: true, scope: 'user', retryAfterSeconds: settings.lockSeconds };
      signInLocked.publish({ tenant: attempt.tenant, scope: 'user' });
      const known = await this.users.findByUsername(attempt.tenant.id, attempt.username);
      await this.audit.record(attempt.origin, attempt.tenant.id, 'user.locked', { type: 'user', id: known?.id ?? null }, {
        username: attempt.username.slice(0, 200),
        failures: user.count,
        lockedForSeconds: settings.lockSeconds,
        via: attempt.via,
      });
    }
    await this.sleeper.sleep(delayFor(Math.max(user.count, ip?.count ?? 0), settings));
    return state;
  }

  /** A successful sign-in: the username's failures start again from zero. */
  async succeeded(attempt: Pick<SignInAttempt, 'tenant' | 'username' | 'ip'> & Partial<Pick<SignInAttempt, 'via'>>): Promise<void> {
    signInAttempted.publish({ tenant: attempt.tenant, outcome: 'success', via: attempt.via ?? 'unknown' });
    await this.store.resetCounter(this.keys(attempt).userFailures);
  }

  private async lockUser(keys: ReturnType<LoginProtection['keys']>, settings: LoginProtectionSettings): Promise<boolean> {
    if (settings.maxUserLocksPerDay === 0) return false;
    // Already locked (a concurrent failure got there first): nothing new to lock or audit.
    if ((await this.store.get(keys.userLock)) !== null) return false;
    const locks = await this.store.increment(keys.userLocksToday, DAY_MS);
    if (locks.count > settings.maxUserLocksPerDay) return false;
    return this.lock(keys.userLock, keys.userFailures, settings);
  }

  /**
   * True when this call set the lock (so it is audited exactly once). The failures that led to it
   * are cleared: once the lock expires, the next lock needs as many failures again.
   */
  private async lock(lockKey: string, failuresKey: string, settings: LoginProtectionSettings): Promise<boolean> {
    const ttlMs = settings.lockSeconds * 1000;
    const locked = await this.store.putIfAbsent(lockKey, String(this.clock.now() + ttlMs), ttlMs);
    if (locked) await this.store.resetCounter(failuresKey);
    return locked;
  }

  private async settings(slug: string): Promise<LoginProtectionSettings> {
    const tenant = await this.tenants.resolve(slug);
    return effectiveLoginProtection(tenant?.settings.loginProtection);
  }

  private keys({ tenant, username, ip }: Pick<SignInAttempt, 'tenant' | 'username' | 'ip'>) {
    // Usernames compare case-insensitively here, so case variants share one count.
    const user = hashed(username.trim().toLowerCase());
    const base = `lp:${tenant.id}`;
    return {
      userFailures: `${base}:fail-user:${user}`,
      userLock: `${base}:lock-user:${user}`,
      userLocksToday: `${base}:locks-user:${user}`,
      ipFailures: ip ? `${base}:fail-ip:${ip}` : null,
      ipLock: ip ? `${base}:lock-ip:${ip}` : null,
    };
  }
}

/** 0 up to the threshold, then 250 ms, 500 ms, 1 s, ... capped at `maxDelayMs`. */
export function delayFor(failures: number, settings: Pick<LoginProtectionSettings, 'delayAfterFailures' | 'maxDelayMs'>): number {
  const over = failures - settings.delayAfterFailures;
  if (over <= 0) return 0;
  return Math.min(settings.maxDelayMs, BASE_DELAY_MS * 2 ** Math.min(over - 1, 20));
}
