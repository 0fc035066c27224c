import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { AuditService } from '@tessera/audit';
import { ManualClock } from '@tessera/clock/testing';
import { InMemoryShortLivedStateStore } from '@tessera/short-lived-state';
import { DEFAULT_TENANT_SETTINGS, type LoginProtectionOverrides, type TenantsService } from '@tessera/tenancy';
import type { UsersService } from '@tessera/users';
import { delayFor, LoginProtection, Sleeper } from './login-protection.service.js';

// LoginProtection over the real in-process store, both on one clock that the specs move.

const TENANT = { id: '11111111-1111-4111-8111-111111111111', slug: 'acme' };
const ORIGIN = { actor: { type: 'user' as const, id: null, label: null }, ip: '192.0.2.1', userAgent: null };

class RecordingSleeper extends Sleeper {
  readonly delays: number[] = [];
  async sleep(ms: number): Promise<void> {
    this.delays.push(ms);
  }
}

describe('LoginProtection', () => {
  let clock: ManualClock;
  let store: InMemoryShortLivedStateStore;
  let sleeper: RecordingSleeper;
  let audited: { action: string; details: Record<string, unknown> }[];
  let overrides: LoginProtectionOverrides;
  let protection: LoginProtection;

  const attempt = (username = 'ada', ip: string | null = '192.0.2.1') => ({ tenant: TENANT, username, ip, origin: ORIGIN, via: 'login_form' });

  beforeEach(() => {
    clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));
    store = new InMemoryShortLivedStateStore({ clock });
    sleeper = new RecordingSleeper();
    audited = [];
    overrides = { delayAfterFailures: 2, maxDelayMs: 1_000, userLockAfterFailures: 5, ipLockAfterFailures: 8, failureWindowSeconds: 600, lockSeconds: 60, maxUserLocksPerDay: 2 };
    const tenants = { resolve: async () => ({ ...TENANT, settings: { ...DEFAULT_TENANT_SETTINGS, loginProtection: overrides } }) } as unknown as TenantsService;
    const users = { findByUsername: async () => ({ id: 'user-ada' }) } as unknown as UsersService;
    const audit = { record: async (_o: unknown, _t: unknown, action: string, _target: unknown, details: Record<string, unknown>) => void audited.push({ action, details }) } as unknown as AuditService;
    protection = new LoginProtection(store, tenants, users, audit, clock, sleeper);
  });

  afterEach(async () => {
    await store.close();
  });

  it('delays nothing up to the threshold, then doubles from 250 ms up to the cap', () => {
    const settings = { delayAfterFailures: 3, maxDelayMs: 5_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 50].map((n) => delayFor(n, settings))).toEqual([0, 0, 0, 250, 500, 1000, 2000, 4000, 5000, 5000]);
  });

  it('locks the username after its threshold, audits it once, and lets it go when the lock expires', async () => {
    for (let i = 0; i < 4; i++) expect((await protection.failed(attempt('ada', `198.51.100.${i}`))).locked).toBe(false);
    expect(sleeper.delays).toEqual([0, 0, 250, 500]);
    expect(await protection.failed(attempt('ada', '198.51.100.9'))).toEqual({ locked: true, scope: 'user', retryAfterSeconds: 60 });
    expect(audited.filter((e) => e.action === 'user.locked')).toHaveLength(1);
    // Locked from anywhere; another user is not.
    expect(await protection.check(attempt('ADA', '203.0.113.7'))).toMatchObject({ locked: true, scope: 'user' });
    expect(await protection.check(attempt('bob', '203.0.113.7'))).toEqual({ locked: false });
    clock.advance(60_000);
    expect(await protection.check(attempt('ada'))).toEqual({ locked: false });
  });

  it('locks an IP address after its own threshold, whatever the usernames', async () => {
    for (let i = 0; i < 7; i++) await protection.failed(attempt(`user-${i}`));
    expect(await protection.check(attempt('someone-new'))).toEqual({ locked: false });
    expect(await protection.failed(attempt('user-7'))).toMatchObject({ locked: true, scope: 'ip' });
    expect(await protection.check(attempt('someone-new'))).toMatchObject({ locked: true, scope: 'ip' });
    expect(await protection.check(attempt('someone-new', '203.0.113.7'))).toEqual({ locked: false });
    expect(audited.map((e) => e.action)).toContain('sign_in.ip_locked');
  });

  it('cannot keep a user locked out for good: past maxUserLocksPerDay failures are only delayed', async () => {
    for (let lock = 0; lock < 2; lock++) {
      for (let i = 0; i < 5; i++) await protection.failed(attempt('ada', `198.51.100.${lock * 10 + i}`));
      expect(await protection.check(attempt('ada', '203.0.113.7'))).toMatchObject({ locked: true });
      clock.advance(60_000);
    }
    for (let i = 0; i < 20; i++) await protection.failed(attempt('ada', `198.51.100.${100 + i}`));
    expect(await protection.check(attempt('ada', '203.0.113.7'))).toEqual({ locked: false });
    expect(audited.filter((e) => e.action === 'user.locked')).toHaveLength(2);
    expect(Math.max(...sleeper.delays)).toBe(1_000);
  });

  it('clears the username\'s failures on success, but not the IP\'s', async () => {
    for (let i = 0; i < 4; i++) await protection.failed(attempt('ada'));
    await protection.succeeded(attempt('ada'));
    for (let i = 0; i < 3; i++) await protection.failed(attempt('ada'));
    expect(await protection.check(attempt('ada', '203.0.113.7'))).toEqual({ locked: false });
    // The IP has 7 failures counted: one more locks it.
    expect(await protection.failed(attempt('carol'))).toMatchObject({ locked: true, scope: 'ip' });
  });
});
