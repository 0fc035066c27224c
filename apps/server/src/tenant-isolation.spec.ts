import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { AuditService } from '@tessera/audit';
import { SystemClock } from '@tessera/clock';
import { RedisShortLivedStateStore } from '@tessera/persistence';
import { deleteRedisKeys } from '@tessera/persistence/testing';
import { InMemoryShortLivedStateStore, type ShortLivedStateStore } from '@tessera/short-lived-state';
import { DEFAULT_TENANT_SETTINGS, type TenancyOptions, type TenantsService } from '@tessera/tenancy';
import { LoginProtection, RateLimiter, Sleeper } from '@tessera/throttling';
import { AuthorizationCodeService, TokenStatusService, type AccessTokenClaims } from '@tessera/tokens';
import { newAuthorizationCodeGrant } from '@tessera/tokens/testing';
import type { UsersService } from '@tessera/users';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InteractionStore } from './interaction/interaction.store.js';
import { SessionService, type InteractionOptions } from './interaction/session.service.js';

/**
 * ARCHITECTURE.md example 5, the short-lived half: every key space of the short-lived-state store
 * (codes, sessions, interactions, rate-limit and sign-in counters, revocations) is per tenant.
 * Tenants A and B use the same code, session cookie, interaction id, username, IP, jti, client_id
 * and sub; nothing done under B reads, consumes, counts against or revokes A's. Runs over the real
 * Redis (REDIS_URL) and the in-process store. The tables' half is
 * libs/server/persistence/src/repositories/tenant-isolation.spec.ts.
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisPrefix = `tessera-test:isolation:${randomBytes(6).toString('hex')}:`;
const A = { id: '11111111-1111-4111-8111-111111111111', slug: 'tenant-a' };
const B = { id: '22222222-2222-4222-8222-222222222222', slug: 'tenant-b' };
const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

const storeFactories: Array<[string, () => Promise<ShortLivedStateStore>]> = [
  ['InMemoryShortLivedStateStore', async () => new InMemoryShortLivedStateStore()],
  ['RedisShortLivedStateStore', () => RedisShortLivedStateStore.connect({ url: REDIS_URL, keyPrefix: redisPrefix })],
];

afterAll(() => deleteRedisKeys(REDIS_URL, redisPrefix));

/** Both tenants with tight limits, so that a count that leaked across tenants would show at once. */
const tenants = {
  resolve: async (slug: string) => ({
    ...(slug === A.slug ? A : B),
    settings: {
      ...DEFAULT_TENANT_SETTINGS,
      rateLimits: { tokenPerClient: { max: 2, windowSeconds: 60 } },
      loginProtection: { delayAfterFailures: 100, userLockAfterFailures: 3, ipLockAfterFailures: 5, lockSeconds: 60, maxUserLocksPerDay: 5 },
    },
  }),
} as unknown as TenantsService;

/** A browser's cookie jar, shared by the tenants' pages as a real browser would. */
function browser(): { reply: FastifyReply; request: () => FastifyRequest } {
  let cookie = '';
  const reply = {
    header(name: string, value: string) {
      if (name === 'Set-Cookie' && !value.includes('Max-Age=0')) cookie = value.split(';')[0]!;
      return reply;
    },
  };
  return { reply: reply as unknown as FastifyReply, request: () => ({ headers: { cookie } }) as unknown as FastifyRequest };
}

describe.each(storeFactories)('tenant isolation of the short-lived key spaces over %s', (_name, factory) => {
  let store: ShortLivedStateStore;
  const clock = new SystemClock();

  beforeAll(async () => {
    store = await factory();
  });

  afterAll(async () => {
    await store?.close();
  });

  describe('authorization codes', () => {
    const grant = newAuthorizationCodeGrant();

    it("never redeems A's code at B, and B's attempt does not use it up", async () => {
      const codes = new AuthorizationCodeService(store);
      const code = await codes.issue(A.id, grant);
      expect(await codes.take(B.id, code)).toBeNull();
      expect(await codes.take(A.id, code)).toEqual(grant);
    });

    it("keeps A's record of a redeemed code from B", async () => {
      const codes = new AuthorizationCodeService(store);
      const code = await codes.issue(A.id, grant);
      await codes.take(A.id, code);
      await codes.markRedeemed(A.id, code, { grantId: 'grant-a' }, 60_000);
      expect(await codes.redeemed(B.id, code)).toBeNull();
      expect(await codes.redeemed(A.id, code)).toEqual({ grantId: 'grant-a' });
    });
  });

  describe('sessions', () => {
    // Signed-in checks pass for any tenant here, so only the key space keeps the tenants apart.
    const users = { signedIn: async (_tenantId: string, id: string) => ({ id }) } as unknown as UsersService;
    const sessions = () =>
      new SessionService(store, users, { publicUrl: 'http://localhost:3000' } as TenancyOptions, { csrfKey: randomBytes(32) } as InteractionOptions, clock);

    it("does not let A's session cookie sign the browser in at B, nor B's sign-out end it", async () => {
      const service = sessions();
      const { reply, request } = browser();
      await service.start(reply, A, { id: 'ada', sessionVersion: 0 });
      expect(await service.current(request(), B.id)).toBeNull();
      await service.end(request(), browser().reply, B);
      expect(await service.current(request(), A.id)).toMatchObject({ userId: 'ada' });
    });
  });

  describe('interactions', () => {
    it("never reads, overwrites or finishes A's interaction under B's id", async () => {
      const interactions = new InteractionStore(store);
      const request = { responseType: 'code', clientId: 'web', redirectUri: 'https://app.example/cb', redirectUriGiven: true, scopes: ['openid'], prompt: [] };
      const id = await interactions.create(A.id, { request } as never);
      expect(await interactions.get(B.id, id)).toBeNull();
      expect(await interactions.finish(B.id, id)).toBe(false);
      // An update under B's id writes B's own key, never A's interaction.
      await interactions.update(B.id, id, { request: { ...request, clientId: 'evil' } } as never);
      expect(await interactions.get(A.id, id)).toMatchObject({ request: { clientId: 'web' } });
      expect(await interactions.finish(A.id, id)).toBe(true);
    });
  });

  describe('rate-limit counters', () => {
    it("counts B's requests apart from A's, for the same limit and subject", async () => {
      const limiter = new RateLimiter(store, tenants);
      const subject = unique('client');
      expect(await limiter.consume(A.slug, 'tokenPerClient', subject)).toBeNull();
      expect(await limiter.consume(A.slug, 'tokenPerClient', subject)).toBeNull();
      expect(await limiter.consume(A.slug, 'tokenPerClient', subject)).toMatchObject({ retryAfterSeconds: expect.any(Number) });
      expect(await limiter.consume(B.slug, 'tokenPerClient', subject)).toBeNull();
    });
  });

  describe('sign-in failure counters and locks', () => {
    const noWait = new (class extends Sleeper {
      async sleep(): Promise<void> {}
    })();
    const protection = () =>
      new LoginProtection(
        store,
        tenants,
        { findByUsername: async () => null } as unknown as UsersService,
        { record: async () => undefined } as unknown as AuditService,
        clock,
        noWait,
      );
    const origin = { actor: { type: 'user' as const, id: null, label: null }, ip: null, userAgent: null };

    it("locks a username (and an IP) at A only; B's success clears nothing of A's", async () => {
      const guard = protection();
      const [username, ip] = [unique('ada'), `198.51.100.${Math.floor(Math.random() * 250)}`];
      const at = (tenant: typeof A) => ({ tenant, username, ip, origin, via: 'login_form' });
      await guard.failed(at(A));
      await guard.failed(at(A));
      await guard.succeeded(at(B));
      expect(await guard.failed(at(A))).toMatchObject({ locked: true, scope: 'user' });
      expect(await guard.check(at(A))).toMatchObject({ locked: true });
      expect(await guard.check(at(B))).toEqual({ locked: false });
      // B's own count starts from nothing: two failures there lock nothing.
      expect(await guard.failed(at(B))).toEqual({ locked: false });
      expect(await guard.failed(at(B))).toEqual({ locked: false });
    });
  });

  describe('revocations', () => {
    let status: TokenStatusService;

    beforeAll(() => {
      status = new TokenStatusService(store, clock);
    });

    /** One token per tenant, with the same jti, client_id and sub in both (unique per test). */
    function twinTokens(): { a: AccessTokenClaims; b: AccessTokenClaims } {
      // Issued now, after the store first connected: a Redis store counts tokens from before its first
      // connection to an empty Redis as revoked (it cannot know whether their revocations were lost).
      const iat = Math.floor(clock.now() / 1000);
      const common = {
        sub: unique('user'),
        aud: 'https://api.example',
        client_id: unique('client'),
        scope: 'read',
        jti: randomBytes(16).toString('base64url'),
        iat,
        exp: iat + 3600,
      };
      return { a: { ...common, iss: `https://issuer/t/a` }, b: { ...common, iss: `https://issuer/t/b` } };
    }

    it("revoking A's jti leaves B's token with the same jti live", async () => {
      const { a, b } = twinTokens();
      await status.revokeToken(A.id, a);
      expect(await status.isRevoked(A.id, a)).toBe(true);
      expect(await status.isRevoked(B.id, b)).toBe(false);
    });

    it("revoking everything of A's client leaves B's token of the same client_id live", async () => {
      const { a, b } = twinTokens();
      await status.revokeAllOfClient(A.id, a.client_id);
      expect(await status.isRevoked(A.id, a)).toBe(true);
      expect(await status.isRevoked(B.id, b)).toBe(false);
    });

    it("revoking everything of A's subject leaves B's token of the same sub live", async () => {
      const { a, b } = twinTokens();
      await status.revokeAllOfSubject(A.id, a.sub);
      expect(await status.isRevoked(A.id, a)).toBe(true);
      expect(await status.isRevoked(B.id, b)).toBe(false);
    });

    it("revoking A's grant id and A's user-at-client leaves B's twin token live", async () => {
      const { a, b } = twinTokens();
      const [ga, gb] = [{ ...a, gid: 'family-1' }, { ...b, gid: 'family-1' }];
      await status.revokeGrant(A.id, 'family-1');
      await status.revokeAllOfClientSubject(A.id, a.client_id, a.sub);
      expect(await status.isRevoked(A.id, ga)).toBe(true);
      expect(await status.isRevoked(B.id, gb)).toBe(false);
      expect(await status.isRevoked(B.id, b)).toBe(false);
    });

    it("revoking B's token, client, subject, user-at-client and grant does not revoke A's twin either", async () => {
      const { a, b } = twinTokens();
      await status.revokeToken(B.id, b);
      await status.revokeAllOfClient(B.id, b.client_id);
      await status.revokeAllOfSubject(B.id, b.sub);
      await status.revokeAllOfClientSubject(B.id, b.client_id, b.sub);
      await status.revokeGrant(B.id, 'family-b');
      expect(await status.isRevoked(B.id, b)).toBe(true);
      expect(await status.isRevoked(A.id, a)).toBe(false);
      expect(await status.isRevoked(A.id, { ...a, gid: 'family-b' })).toBe(false);
    });
  });
});
