import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Client } from '@tessera/clients';
import type { Consent } from '@tessera/consents';
import type { SigningKey } from '@tessera/keys';
import type { Tenant } from '@tessera/tenancy';
import type { RefreshFamily } from '@tessera/tokens';
import type { User } from '@tessera/users';
import type { DataSource } from 'typeorm';
import { newClient, newRefreshFamily, newSigningKey, newTenant, newTokenHash, newUser, uniqueSlug } from '../testing/persistence-fixtures.js';
import { openRepositorySet } from '../testing/test-database.js';

/**
 * ARCHITECTURE.md example 5: the tenant is in every query. Tenants A and B hold rows with the same
 * natural keys (client id, username, scope name); every read, update and delete made with B's id
 * must neither see nor touch A's rows. One block per table, against a real PostgreSQL. The
 * short-lived key spaces (codes, sessions, interactions, counters, revocations) have their half in
 * apps/server/src/tenant-isolation.spec.ts, where the services that name those keys all live.
 */

const SHARED_CLIENT_ID = 'shared-client';
const SHARED_USERNAME = 'shared-user';
const SHARED_SCOPE = 'shared:read';

type Repositories = Awaited<ReturnType<typeof openRepositorySet>>;

describe('tenant isolation of the PostgreSQL tables', () => {
  let db: Repositories['db'];
  let ds: DataSource;
  let tenants: Repositories['tenants'];
  let clients: Repositories['clients'];
  let users: Repositories['users'];
  let scopes: Repositories['scopes'];
  let keys: Repositories['keys'];
  let audit: Repositories['audit'];
  let consents: Repositories['consents'];
  let refreshTokens: Repositories['refreshTokens'];
  let members: Repositories['members'];
  let tokenStats: Repositories['tokenStats'];

  beforeAll(async () => {
    ({ db, ds, tenants, clients, users, scopes, keys, audit, consents, refreshTokens, members, tokenStats } = await openRepositorySet());
  });

  afterAll(async () => {
    await db?.drop();
  });

  /** Tenants A and B, seeded with the same natural keys; A also has rows B has no twin of. */
  interface World {
    a: Tenant;
    b: Tenant;
    clientA: Client;
    clientB: Client;
    onlyClientA: Client;
    userA: User;
    userB: User;
    onlyUserA: User;
    keyA: SigningKey;
    keyB: SigningKey;
    consentA: Consent;
    consentB: Consent;
    familyA: RefreshFamily;
    familyB: RefreshFamily;
    tokenA: Buffer;
    tokenB: Buffer;
  }
  let w: World;
  const HOUR = new Date('2030-01-01T10:00:00.000Z');

  beforeEach(async () => {
    const a = await tenants.create(newTenant(uniqueSlug('a')));
    const b = await tenants.create(newTenant(uniqueSlug('b')));
    const [clientA, clientB, onlyClientA] = await Promise.all([
      clients.create(newClient(a.id, SHARED_CLIENT_ID, { name: 'A', accessTokenTtl: 86_400 })),
      clients.create(newClient(b.id, SHARED_CLIENT_ID, { name: 'B', accessTokenTtl: 600 })),
      clients.create(newClient(a.id, 'only-in-a', { name: 'A only' })),
    ]);
    const [userA, userB, onlyUserA] = await Promise.all([
      users.create(newUser(a.id, SHARED_USERNAME, { name: 'A' })),
      // Differs only in case: the case-insensitive unique index is per tenant.
      users.create(newUser(b.id, SHARED_USERNAME.toUpperCase(), { name: 'B' })),
      users.create(newUser(a.id, 'only-in-a', { name: 'A only' })),
    ]);
    await Promise.all([
      scopes.create({ tenantId: a.id, name: SHARED_SCOPE, description: 'A' }),
      scopes.create({ tenantId: b.id, name: SHARED_SCOPE, description: 'B' }),
      scopes.create({ tenantId: a.id, name: 'only-in-a', description: 'A only' }),
    ]);
    const [keyA, keyB] = await Promise.all([keys.insert(newSigningKey(a.id)), keys.insert(newSigningKey(b.id))]);
    for (const [tenant, target] of [
      [a, 'target-a'],
      [b, 'target-b'],
    ] as const) {
      await audit.append({
        tenantId: tenant.id,
        action: 'client.created',
        actor: { type: 'admin', id: 'same-admin', label: null },
        target: { type: 'client', id: target },
        ip: null,
        userAgent: null,
        details: { tenant: tenant.slug },
      });
    }
    const [consentA, consentB] = await Promise.all([
      consents.grant(a.id, userA.id, clientA.id, ['openid', 'read']),
      consents.grant(b.id, userB.id, clientB.id, ['openid']),
    ]);
    const [tokenA, tokenB] = [newTokenHash(), newTokenHash()];
    const [familyA, familyB] = await Promise.all([
      refreshTokens.createFamily(newRefreshFamily(a.id, clientA.id, userA.id), tokenA),
      refreshTokens.createFamily(newRefreshFamily(b.id, clientB.id, userB.id), tokenB),
    ]);
    // A has two owners, B one.
    await members.add({ tenantId: a.id, userId: userA.id, role: 'owner' });
    await members.add({ tenantId: a.id, userId: onlyUserA.id, role: 'owner' });
    await members.add({ tenantId: b.id, userId: userB.id, role: 'owner' });
    await tokenStats.add([
      { tenantId: a.id, hour: HOUR, grantType: 'client_credentials', count: 5 },
      { tenantId: b.id, hour: HOUR, grantType: 'client_credentials', count: 2 },
    ]);
    w = { a, b, clientA, clientB, onlyClientA, userA, userB, onlyUserA, keyA, keyB, consentA, consentB, familyA, familyB, tokenA, tokenB };
  });

  describe('clients', () => {
    it('finds and lists only B\'s client under B\'s id, though A has one with the same client_id', async () => {
      expect(await clients.findByClientId(w.b.id, SHARED_CLIENT_ID)).toMatchObject({ id: w.clientB.id, name: 'B' });
      expect(await clients.findByClientId(w.b.id, 'only-in-a')).toBeNull();
      const listed = await clients.list(w.b.id, { limit: 50 });
      expect(listed.items.map((c) => c.id)).toEqual([w.clientB.id]);
    });

    it('updates and deletes under B\'s id leave A\'s client untouched', async () => {
      expect(await clients.update(w.b.id, 'only-in-a', { name: 'hijacked' })).toBeNull();
      expect(await clients.delete(w.b.id, 'only-in-a')).toBe(false);
      await clients.update(w.b.id, SHARED_CLIENT_ID, { name: 'B renamed', secretHash: Buffer.alloc(32, 1) });
      expect(await clients.delete(w.b.id, SHARED_CLIENT_ID)).toBe(true);

      expect(await clients.findByClientId(w.a.id, SHARED_CLIENT_ID)).toEqual(w.clientA);
      expect(await clients.findByClientId(w.a.id, 'only-in-a')).toEqual(w.onlyClientA);
    });

    it('computes B\'s longest access-token lifetime from B\'s clients only', async () => {
      expect(await clients.maxAccessTokenTtl(w.b.id)).toBe(600);
      expect(await clients.maxAccessTokenTtl(w.a.id)).toBe(86_400);
    });
  });

  describe('users', () => {
    it('finds B\'s user by a username A also has, and never A\'s user by id', async () => {
      expect(await users.findByUsername(w.b.id, SHARED_USERNAME)).toMatchObject({ id: w.userB.id, name: 'B' });
      expect(await users.findByUsername(w.b.id, 'only-in-a')).toBeNull();
      expect(await users.findById(w.b.id, w.userA.id)).toBeNull();
      expect((await users.list(w.b.id, { limit: 50 })).items.map((u) => u.id)).toEqual([w.userB.id]);
    });

    it('updates and deletes under B\'s id with A\'s user id change nothing', async () => {
      expect(await users.update(w.b.id, w.userA.id, { disabled: true, passwordHash: 'x' })).toBeNull();
      expect(await users.delete(w.b.id, w.userA.id)).toBe(false);
      expect(await users.delete(w.b.id, w.onlyUserA.id)).toBe(false);
      expect(await users.findById(w.a.id, w.userA.id)).toEqual(w.userA);
      expect(await users.findById(w.a.id, w.onlyUserA.id)).toEqual(w.onlyUserA);
    });
  });

  describe('scopes', () => {
    it('lists and finds only B\'s scopes', async () => {
      expect((await scopes.list(w.b.id, { limit: 50 })).items).toMatchObject([{ name: SHARED_SCOPE, description: 'B' }]);
      expect(await scopes.findNames(w.b.id, [SHARED_SCOPE, 'only-in-a'])).toEqual([SHARED_SCOPE]);
    });

    it('deletes under B\'s id never remove A\'s scope of the same name', async () => {
      expect(await scopes.delete(w.b.id, 'only-in-a')).toBe(false);
      expect(await scopes.delete(w.b.id, SHARED_SCOPE)).toBe(true);
      expect((await scopes.findNames(w.a.id, [SHARED_SCOPE, 'only-in-a'])).sort()).toEqual(['only-in-a', SHARED_SCOPE].sort());
    });
  });

  describe('signing_keys', () => {
    it('lists only B\'s keys, and rotating B\'s keys leaves A\'s key active', async () => {
      expect((await keys.list(w.b.id)).map((k) => k.kid)).toEqual([w.keyB.kid]);
      const [next] = await keys.rotate(w.b.id, [newSigningKey(w.b.id)], new Date(), new Date(Date.now() + 60_000));
      expect((await keys.list(w.b.id)).map((k) => [k.kid, k.status])).toEqual([
        [next!.kid, 'active'],
        [w.keyB.kid, 'retired'],
      ]);
      expect(await keys.list(w.a.id)).toEqual([w.keyA]);
    });
  });

  describe('audit_events', () => {
    it('lists and filters only B\'s events', async () => {
      const all = await audit.list(w.b.id, {}, { limit: 50 });
      expect(all.items.map((e) => e.target.id)).toEqual(['target-b']);
      expect((await audit.list(w.b.id, { targetId: 'target-a' }, { limit: 50 })).items).toEqual([]);
      expect((await audit.list(w.b.id, { actorId: 'same-admin' }, { limit: 50 })).items.map((e) => e.tenantId)).toEqual([w.b.id]);
    });

    it('does not leak A\'s events through a cursor that covers A\'s ids', async () => {
      const [aEvent] = (await audit.list(w.a.id, {}, { limit: 1 })).items;
      // A's event was appended just before B's: a cursor right above A's id would reach it were the
      // tenant filter missing; under B's id it reaches nothing.
      const viaCursor = await audit.list(w.b.id, {}, { limit: 50, cursor: String(Number(aEvent!.id) + 1) });
      expect(viaCursor.items).toEqual([]);
    });
  });

  describe('consents', () => {
    it('finds, reads and lists only B\'s consents, though A\'s user and client hold one', async () => {
      expect(await consents.find(w.b.id, w.userA.id, w.clientA.id)).toBeNull();
      expect(await consents.findById(w.b.id, w.consentA.id)).toBeNull();
      expect((await consents.list(w.b.id, {}, { limit: 50 })).items.map((c) => c.id)).toEqual([w.consentB.id]);
      expect((await consents.list(w.b.id, { userId: w.userA.id }, { limit: 50 })).items).toEqual([]);
      expect((await consents.list(w.b.id, { clientRef: w.clientA.id }, { limit: 50 })).items).toEqual([]);
    });

    it('touches and withdrawals under B\'s id leave A\'s consent as it was', async () => {
      await consents.touch(w.b.id, w.consentA.id, new Date());
      expect(await consents.delete(w.b.id, w.consentA.id)).toBe(false);
      expect(await consents.find(w.a.id, w.userA.id, w.clientA.id)).toEqual(w.consentA);
    });
  });

  describe('refresh_token_families and refresh_tokens', () => {
    const rotateAt = (tenantId: string, clientRef: string, presented: Buffer) =>
      refreshTokens.rotate(tenantId, clientRef, presented, newTokenHash(), new Date(), new Date(Date.now() - 3_600_000));

    it('finds a token\'s family and state only under its own tenant', async () => {
      expect(await refreshTokens.findFamilyByToken(w.b.id, w.tokenA)).toBeNull();
      expect(await refreshTokens.findTokenState(w.b.id, w.tokenA)).toBeNull();
      expect(await refreshTokens.findFamilyByToken(w.a.id, w.tokenA)).toMatchObject({ id: w.familyA.id });
    });

    it('rotating A\'s token under B\'s id or with B\'s client is invalid and leaves it current for A', async () => {
      expect(await rotateAt(w.b.id, w.clientB.id, w.tokenA)).toEqual({ outcome: 'invalid' });
      expect(await rotateAt(w.b.id, w.clientA.id, w.tokenA)).toEqual({ outcome: 'invalid' });
      expect(await rotateAt(w.a.id, w.clientB.id, w.tokenA)).toEqual({ outcome: 'invalid' });
      expect(await refreshTokens.findTokenState(w.a.id, w.tokenA)).toMatchObject({ current: true, family: { revokedAt: null } });
      expect(await rotateAt(w.a.id, w.clientA.id, w.tokenA)).toMatchObject({ outcome: 'rotated' });
    });

    it('revokes and lists families only under their own tenant', async () => {
      await refreshTokens.revokeFamily(w.b.id, w.familyA.id, 'test', new Date());
      expect(await refreshTokens.revokeWhere(w.b.id, { clientRef: w.clientA.id }, 'test', new Date())).toEqual([]);
      expect(await refreshTokens.revokeWhere(w.b.id, { userId: w.userA.id }, 'test', new Date())).toEqual([]);
      const now = new Date();
      expect((await refreshTokens.listLive(w.b.id, {}, now, { limit: 50 })).items.map((f) => f.id)).toEqual([w.familyB.id]);
      expect(await refreshTokens.revokeWhere(w.b.id, {}, 'test', now)).toEqual([w.familyB.id]);
      expect((await refreshTokens.listLive(w.a.id, {}, now, { limit: 50 })).items).toEqual([w.familyA]);
    });
  });

  describe('tenant_members', () => {
    it('lists and finds only B\'s members; role changes and removals under B\'s id never reach A\'s', async () => {
      expect((await members.list(w.b.id, { limit: 50 })).items.map((m) => m.userId)).toEqual([w.userB.id]);
      expect(await members.find(w.b.id, w.userA.id)).toBeNull();
      expect(await members.changeRole(w.b.id, w.userA.id, 'viewer')).toEqual({ outcome: 'not_found' });
      expect(await members.remove(w.b.id, w.userA.id)).toEqual({ outcome: 'not_found' });
      expect(await members.find(w.a.id, w.userA.id)).toMatchObject({ role: 'owner' });
      expect(await members.membershipsOf(w.b.id, w.userA.id)).toEqual([]);
      expect(await members.membershipsOf(w.a.id, w.userA.id)).toEqual([{ tenantId: w.a.id, tenantSlug: w.a.slug, role: 'owner' }]);
    });

    it('counts owners per tenant: B\'s only owner stays, however many owners A has', async () => {
      expect(await members.changeRole(w.b.id, w.userB.id, 'viewer')).toEqual({ outcome: 'last_owner' });
      expect(await members.remove(w.b.id, w.userB.id)).toEqual({ outcome: 'last_owner' });
      expect(await members.changeRole(w.a.id, w.userA.id, 'viewer')).toMatchObject({ outcome: 'done', member: { role: 'viewer' } });
    });
  });

  describe('token_issuance_stats', () => {
    it('sums only B\'s counts for B, whatever A issued in the same hour with the same grant', async () => {
      await tokenStats.add([{ tenantId: w.b.id, hour: HOUR, grantType: 'client_credentials', count: 1 }]);
      const since = new Date(HOUR.getTime() - 86_400_000);
      expect(await tokenStats.totals(w.b.id, since, 'hour')).toEqual([{ period: HOUR.toISOString(), grantType: 'client_credentials', count: 3 }]);
      expect(await tokenStats.totals(w.a.id, since, 'day')).toEqual([{ period: '2030-01-01', grantType: 'client_credentials', count: 5 }]);
    });
  });

  describe('tenants', () => {
    it('deleting B removes B\'s rows in every table and none of A\'s', async () => {
      await tenants.delete(w.b.id);
      const count = async (table: string, tenantId: string) =>
        ((await ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [tenantId])) as Array<{ n: number }>)[0]!.n;
      const tables = ['clients', 'users', 'scopes', 'signing_keys', 'consents', 'refresh_token_families', 'tenant_members', 'token_issuance_stats'];
      for (const table of tables) {
        expect(await count(table, w.b.id)).toBe(0);
      }
      expect(await count('clients', w.a.id)).toBe(2);
      expect(await count('users', w.a.id)).toBe(2);
      expect(await count('scopes', w.a.id)).toBe(2);
      expect(await count('signing_keys', w.a.id)).toBe(1);
      expect(await count('consents', w.a.id)).toBe(1);
      expect(await count('refresh_token_families', w.a.id)).toBe(1);
      expect(await count('tenant_members', w.a.id)).toBe(2);
      expect(await count('token_issuance_stats', w.a.id)).toBe(1);
      // refresh_tokens has no tenant column: its rows go with their family.
      const tokens = async (hash: Buffer) =>
        ((await ds.query(`SELECT count(*)::int AS n FROM refresh_tokens WHERE token_hash = $1`, [hash])) as Array<{ n: number }>)[0]!.n;
      expect([await tokens(w.tokenA), await tokens(w.tokenB)]).toEqual([1, 0]);
      expect(await tenants.findById(w.a.id)).toEqual(w.a);
    });

    it('lists only the tenants named in onlyIds', async () => {
      const listed = await tenants.list({ limit: 50 }, [w.b.id]);
      expect(listed.items.map((t) => t.id)).toEqual([w.b.id]);
    });
  });
});
