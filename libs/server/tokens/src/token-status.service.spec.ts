import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ManualClock } from '@tessera/clock/testing';
import { InMemoryShortLivedStateStore, STORE_DATA_LOST_AT_KEY, StoreUnavailableError } from '@tessera/short-lived-state';
import type { AccessTokenClaims } from './access-token.service.js';
import { MAX_ACCESS_TOKEN_TTL_S, TokenStatusService } from './token-status.service.js';

// TokenStatusService over the real in-process store, both on one clock that the specs move.

const TENANT = '11111111-1111-4111-8111-111111111111';
const START = Date.parse('2030-01-01T00:00:00.000Z');

describe('TokenStatusService', () => {
  let clock: ManualClock;
  let store: InMemoryShortLivedStateStore;
  let status: TokenStatusService;

  /** A token issued `issuedAgoS` seconds before the clock's current second. */
  const token = (overrides: Partial<AccessTokenClaims> = {}, issuedAgoS = 0): AccessTokenClaims => {
    const iat = Math.floor(clock.now() / 1000) - issuedAgoS;
    return {
      iss: 'https://as.example/t/acme',
      sub: 'user-1',
      aud: 'https://as.example/t/acme/api',
      client_id: 'web',
      scope: 'read',
      jti: `jti-${Math.random().toString(36).slice(2)}`,
      iat,
      exp: iat + 300,
      ...overrides,
    };
  };

  beforeEach(() => {
    clock = new ManualClock(START);
    // The real in-process store, on the same clock: its TTLs expire as the clock moves.
    store = new InMemoryShortLivedStateStore({ clock });
    status = new TokenStatusService(store, clock);
  });

  afterEach(async () => {
    await store.close();
  });

  describe('revokeToken', () => {
    it('revokes exactly that jti and no other token', async () => {
      const revoked = token();
      const other = token();
      await status.revokeToken(TENANT, revoked);
      expect(await status.isRevoked(TENANT, revoked)).toBe(true);
      expect(await status.isRevoked(TENANT, other)).toBe(false);
    });

    it('keeps the revocation until the token\'s own exp, then lets it go (RFC 7009 section 2.2)', async () => {
      const claims = token({}, 0);
      await status.revokeToken(TENANT, claims);
      clock.set(claims.exp * 1000 - 1);
      expect(await status.isRevoked(TENANT, claims)).toBe(true);
      clock.set(claims.exp * 1000);
      expect(await status.isRevoked(TENANT, claims)).toBe(false);
      store.sweep();
      expect(store.size).toBe(0);
    });

    it('stores nothing for a token that has already expired', async () => {
      const expired = token({}, 400);
      await status.revokeToken(TENANT, expired);
      expect(store.size).toBe(0);
    });

    it('revokes a token in its last millisecond', async () => {
      const claims = token();
      clock.set(claims.exp * 1000 - 1);
      await status.revokeToken(TENANT, claims);
      expect(await status.isRevoked(TENANT, claims)).toBe(true);
    });
  });

  describe('revokeAllOfClient', () => {
    it('revokes the client\'s tokens issued before or in the same second as the mark, not later ones', async () => {
      const earlier = token({}, 120);
      clock.advance(500); // the mark falls mid-second: a token of that second is revoked too
      const sameSecond = token();
      await status.revokeAllOfClient(TENANT, 'web');
      clock.advance(1000);
      const later = token();
      expect(await status.isRevoked(TENANT, earlier)).toBe(true);
      expect(await status.isRevoked(TENANT, sameSecond)).toBe(true);
      expect(await status.isRevoked(TENANT, later)).toBe(false);
    });

    it('leaves tokens of other clients, and of other subjects of other clients, live', async () => {
      const otherClient = token({ client_id: 'mobile' }, 10);
      await status.revokeAllOfClient(TENANT, 'web');
      expect(await status.isRevoked(TENANT, otherClient)).toBe(false);
      expect(await status.isRevoked(TENANT, token({ client_id: 'web' }, 10))).toBe(true);
    });

    it('keeps the mark as long as the longest token may live', async () => {
      await status.revokeAllOfClient(TENANT, 'web');
      const longLived = token({ exp: Math.floor(clock.now() / 1000) + MAX_ACCESS_TOKEN_TTL_S });
      clock.advance(MAX_ACCESS_TOKEN_TTL_S * 1000 - 1);
      expect(await status.isRevoked(TENANT, longLived)).toBe(true);
    });

    it('a later mark moves the line forward', async () => {
      await status.revokeAllOfClient(TENANT, 'web');
      clock.advance(10_000);
      const between = token();
      clock.advance(10_000);
      expect(await status.isRevoked(TENANT, between)).toBe(false);
      await status.revokeAllOfClient(TENANT, 'web');
      expect(await status.isRevoked(TENANT, between)).toBe(true);
    });
  });

  describe('revokeAllOfSubject', () => {
    it('revokes the subject\'s tokens of every client issued at or before the mark, not later ones', async () => {
      const viaWeb = token({ client_id: 'web' }, 30);
      const viaMobile = token({ client_id: 'mobile' }, 0);
      await status.revokeAllOfSubject(TENANT, 'user-1');
      clock.advance(1000);
      const later = token();
      expect(await status.isRevoked(TENANT, viaWeb)).toBe(true);
      expect(await status.isRevoked(TENANT, viaMobile)).toBe(true);
      expect(await status.isRevoked(TENANT, later)).toBe(false);
    });

    it('leaves other subjects\' tokens live', async () => {
      await status.revokeAllOfSubject(TENANT, 'user-1');
      expect(await status.isRevoked(TENANT, token({ sub: 'user-2' }, 5))).toBe(false);
    });

    it('does not treat a client mark as a subject mark when a client id equals a subject', async () => {
      await status.revokeAllOfClient(TENANT, 'same-name');
      expect(await status.isRevoked(TENANT, token({ sub: 'same-name', client_id: 'web' }, 5))).toBe(false);
    });
  });
  describe('revokeAllOfClientSubject', () => {
    it('revokes one user\'s tokens at one client only, issued at or before the mark', async () => {
      const target = token({ client_id: 'web', sub: 'user-1' }, 10);
      const sameUserOtherClient = token({ client_id: 'mobile', sub: 'user-1' }, 10);
      const sameClientOtherUser = token({ client_id: 'web', sub: 'user-2' }, 10);
      await status.revokeAllOfClientSubject(TENANT, 'web', 'user-1');
      clock.advance(1000);
      const later = token({ client_id: 'web', sub: 'user-1' });
      expect(await status.isRevoked(TENANT, target)).toBe(true);
      expect(await status.isRevoked(TENANT, sameUserOtherClient)).toBe(false);
      expect(await status.isRevoked(TENANT, sameClientOtherUser)).toBe(false);
      expect(await status.isRevoked(TENANT, later)).toBe(false);
    });
  });

  describe('revokeGrant', () => {
    it('revokes every token carrying the grant id, and none without it', async () => {
      const ofGrant = token({ gid: 'family-1' });
      const ofOtherGrant = token({ gid: 'family-2' });
      const withoutGrant = token();
      await status.revokeGrant(TENANT, 'family-1');
      clock.advance(1000);
      const laterOfGrant = token({ gid: 'family-1' });
      expect(await status.isRevoked(TENANT, ofGrant)).toBe(true);
      expect(await status.isRevoked(TENANT, laterOfGrant)).toBe(true);
      expect(await status.isRevoked(TENANT, ofOtherGrant)).toBe(false);
      expect(await status.isRevoked(TENANT, withoutGrant)).toBe(false);
    });
  });

  describe('fail closed', () => {
    it('treats every token issued up to the moment the store lost its data as revoked, and later ones as live', async () => {
      const before = token({}, 30);
      await store.put(STORE_DATA_LOST_AT_KEY, String(Math.floor(clock.now() / 1000) - 10), 60_000);
      clock.advance(1000);
      const after = token();
      expect(await status.isRevoked(TENANT, before)).toBe(true);
      expect(await status.isRevoked(TENANT, after)).toBe(false);
    });

    it('rejects rather than answering "not revoked" when the store cannot answer', async () => {
      const claims = token();
      await store.close();
      await expect(status.isRevoked(TENANT, claims)).rejects.toThrow(StoreUnavailableError);
    });
  });
});
