import { beforeEach, describe, expect, it } from '@jest/globals';
import { Clock } from '@tessera/clock';
import { ShortLivedStateStore } from '@tessera/short-lived-state';
import type { AccessTokenClaims } from './access-token.service.js';
import { GrantRevocationService } from './grant-revocation.service.js';
import type { FamilyFilter } from './refresh-token.repository.js';
import type { RefreshTokenService } from './refresh-token.service.js';
import { TokenStatusService } from './token-status.service.js';

const NOW = Date.parse('2030-01-01T00:00:10.000Z');
const TENANT = '11111111-1111-4111-8111-111111111111';
const ADA = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const BOB = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const APP = { ref: 'ref-app', clientId: 'app' };

class MapStore extends ShortLivedStateStore {
  readonly values = new Map<string, string>();
  async put(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
  async putIfAbsent(key: string, value: string): Promise<boolean> {
    if (this.values.has(key)) return false;
    this.values.set(key, value);
    return true;
  }
  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }
  async take(key: string): Promise<string | null> {
    const value = this.values.get(key) ?? null;
    this.values.delete(key);
    return value;
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
  async revoke(set: string, member: string): Promise<void> {
    this.values.set(`${set}|${member}`, '1');
  }
  async isRevoked(set: string, member: string): Promise<boolean> {
    return this.values.has(`${set}|${member}`);
  }
  async increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const count = Number(this.values.get(`ctr|${key}`) ?? 0) + 1;
    this.values.set(`ctr|${key}`, String(count));
    return { count, resetInMs: windowMs };
  }
  async resetCounter(key: string): Promise<void> {
    this.values.delete(`ctr|${key}`);
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}

interface Family {
  id: string;
  clientRef: string;
  userId: string;
  revokedReason: string | null;
}

/** The part of RefreshTokenService the revocation uses, over a list of families. */
class FakeRefreshTokens {
  constructor(readonly families: Family[]) {}
  async revokeWhere(_tenantId: string, filter: FamilyFilter, reason: string): Promise<string[]> {
    const hit = this.families.filter(
      (f) => f.revokedReason === null && (filter.clientRef === undefined || f.clientRef === filter.clientRef) && (filter.userId === undefined || f.userId === filter.userId),
    );
    for (const f of hit) f.revokedReason = reason;
    return hit.map((f) => f.id);
  }
  async revokeFamily(_tenantId: string, id: string, reason: string): Promise<void> {
    const family = this.families.find((f) => f.id === id && f.revokedReason === null);
    if (family) family.revokedReason = reason;
  }
}

function claims(sub: string, clientId: string, gid: string, iat = Math.floor(NOW / 1000) + 5): AccessTokenClaims {
  return { iss: 'https://as.example/t/acme', sub, aud: 'x', client_id: clientId, scope: '', jti: `${sub}-${gid}`, iat, exp: iat + 300, gid };
}

describe('GrantRevocationService', () => {
  let status: TokenStatusService;
  let refreshTokens: FakeRefreshTokens;
  let service: GrantRevocationService;

  beforeEach(() => {
    const clock = new (class extends Clock {
      now(): number {
        return NOW;
      }
    })();
    status = new TokenStatusService(new MapStore(), clock);
    refreshTokens = new FakeRefreshTokens([
      { id: 'g-ada-app', clientRef: APP.ref, userId: ADA, revokedReason: null },
      { id: 'g-bob-app', clientRef: APP.ref, userId: BOB, revokedReason: null },
      { id: 'g-ada-other', clientRef: 'ref-other', userId: ADA, revokedReason: null },
    ]);
    service = new GrantRevocationService(status, refreshTokens as unknown as RefreshTokenService);
  });

  it('revokes one user at one client: their families and, by gid, access tokens minted after the revocation', async () => {
    expect(await service.revokeUserAtClient(TENANT, APP, ADA, 'consent_withdrawn')).toEqual(['g-ada-app']);
    expect(refreshTokens.families.map((f) => f.revokedReason)).toEqual(['consent_withdrawn', null, null]);
    // Minted later by a refresh racing the withdrawal: still dead through its grant id.
    expect(await status.isRevoked(TENANT, claims(ADA, APP.clientId, 'g-ada-app'))).toBe(true);
    // Issued before: dead through the user-at-client marker, whatever the grant.
    expect(await status.isRevoked(TENANT, claims(ADA, APP.clientId, 'g-code-only', Math.floor(NOW / 1000) - 60))).toBe(true);
    expect(await status.isRevoked(TENANT, claims(BOB, APP.clientId, 'g-bob-app'))).toBe(false);
    expect(await status.isRevoked(TENANT, claims(ADA, 'other', 'g-ada-other'))).toBe(false);
  });

  it('revokes everything of a user, or of a client, including their refresh families', async () => {
    expect((await service.revokeUser(TENANT, ADA, 'admin_revoked')).sort()).toEqual(['g-ada-app', 'g-ada-other']);
    expect(refreshTokens.families.find((f) => f.id === 'g-bob-app')?.revokedReason).toBeNull();
    expect(await service.revokeClient(TENANT, APP, 'admin_revoked')).toEqual(['g-bob-app']);
    expect(await status.isRevoked(TENANT, claims(BOB, APP.clientId, 'g-bob-app'))).toBe(true);
  });

  it('revokes one grant by id, with or without a refresh family', async () => {
    await service.revokeGrant(TENANT, 'g-bob-app', 'admin_revoked');
    await service.revokeGrant(TENANT, 'g-code-only', 'admin_revoked');
    expect(refreshTokens.families.map((f) => f.revokedReason)).toEqual([null, 'admin_revoked', null]);
    expect(await status.isRevoked(TENANT, claims(BOB, APP.clientId, 'g-bob-app'))).toBe(true);
    expect(await status.isRevoked(TENANT, claims(ADA, APP.clientId, 'g-code-only'))).toBe(true);
    expect(await status.isRevoked(TENANT, claims(ADA, APP.clientId, 'g-ada-app'))).toBe(false);
  });
});
