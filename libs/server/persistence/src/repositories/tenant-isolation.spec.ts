import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Client } from '@tessera/clients';
import { Clock } from '@tessera/clock';
import type { SigningKey } from '@tessera/keys';
import { InMemoryShortLivedStateStore, type ShortLivedStateStore } from '@tessera/short-lived-state';
import type { Tenant } from '@tessera/tenancy';
import { TokenStatusService, type AccessTokenClaims } from '@tessera/tokens';
import type { User } from '@tessera/users';
import { createClient } from 'redis';
import type { DataSource } from 'typeorm';
import { RedisShortLivedStateStore } from '../stores/redis-short-lived-state.store.js';
import { newClient, newSigningKey, newTenant, newUser, uniqueSlug } from '../testing/persistence-fixtures.js';
import { openRepositorySet, type TestDatabase } from '../testing/test-database.js';
import { TypeOrmAuditEventRepository } from './typeorm-audit-event.repository.js';
import { TypeOrmClientRepository } from './typeorm-client.repository.js';
import { TypeOrmScopeRepository } from './typeorm-scope.repository.js';
import { TypeOrmSigningKeyRepository } from './typeorm-signing-key.repository.js';
import { TypeOrmTenantRepository } from './typeorm-tenant.repository.js';
import { TypeOrmUserRepository } from './typeorm-user.repository.js';

/**
 * ARCHITECTURE.md example 5: the tenant is in every query. Tenants A and B hold rows with the same
 * natural keys (client id, username, scope name); every read, update and delete made with B's id
 * must neither see nor touch A's rows. One block per table, then one per short-lived key space.
 */

const SHARED_CLIENT_ID = 'shared-client';
const SHARED_USERNAME = 'shared-user';
const SHARED_SCOPE = 'shared:read';

describe('tenant isolation of the PostgreSQL tables', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let tenants: TypeOrmTenantRepository;
  let clients: TypeOrmClientRepository;
  let users: TypeOrmUserRepository;
  let scopes: TypeOrmScopeRepository;
  let keys: TypeOrmSigningKeyRepository;
  let audit: TypeOrmAuditEventRepository;

  beforeAll(async () => {
    ({ db, ds, tenants, clients, users, scopes, keys, audit } = await openRepositorySet());
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
  }
  let w: World;

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
    w = { a, b, clientA, clientB, onlyClientA, userA, userB, onlyUserA, keyA, keyB };
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

  describe('tenants', () => {
    it('deleting B removes B\'s rows in every table and none of A\'s', async () => {
      await tenants.delete(w.b.id);
      const count = async (table: string, tenantId: string) =>
        ((await ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [tenantId])) as Array<{ n: number }>)[0]!.n;
      for (const table of ['clients', 'users', 'scopes', 'signing_keys']) {
        expect(await count(table, w.b.id)).toBe(0);
      }
      expect(await count('clients', w.a.id)).toBe(2);
      expect(await count('users', w.a.id)).toBe(2);
      expect(await count('scopes', w.a.id)).toBe(2);
      expect(await count('signing_keys', w.a.id)).toBe(1);
      expect(await tenants.findById(w.a.id)).toEqual(w.a);
    });

    it('lists only the tenants named in onlyIds', async () => {
      const listed = await tenants.list({ limit: 50 }, [w.b.id]);
      expect(listed.items.map((t) => t.id)).toEqual([w.b.id]);
    });
  });
});

/** TokenStatusService over each short-lived store: revocations under A never reach B's tokens. */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisPrefix = `tessera-test:isolation:${randomBytes(6).toString('hex')}:`;

class SystemTimeClock extends Clock {
  now(): number {
    return Date.now();
  }
}

const storeFactories: Array<[string, () => Promise<ShortLivedStateStore>]> = [
  ['InMemoryShortLivedStateStore', async () => new InMemoryShortLivedStateStore()],
  ['RedisShortLivedStateStore', () => RedisShortLivedStateStore.connect({ url: REDIS_URL, keyPrefix: redisPrefix })],
];

afterAll(async () => {
  const admin = createClient({ url: REDIS_URL });
  admin.on('error', () => undefined);
  await admin.connect();
  const found: string[] = [];
  for await (const batch of admin.scanIterator({ MATCH: `${redisPrefix}*`, COUNT: 1000 })) found.push(...batch);
  if (found.length > 0) await admin.unlink(found);
  admin.destroy();
});

describe.each(storeFactories)('tenant isolation of revocations in TokenStatusService over %s', (_name, factory) => {
  let store: ShortLivedStateStore;
  let status: TokenStatusService;
  const tenantA = '11111111-1111-4111-8111-111111111111';
  const tenantB = '22222222-2222-4222-8222-222222222222';

  /** One token per tenant, with the same jti, client_id and sub in both (unique per test). */
  function twinTokens(): { a: AccessTokenClaims; b: AccessTokenClaims } {
    // Issued now, after the store first connected: a Redis store counts tokens from before its first
    // connection to an empty Redis as revoked (it cannot know whether their revocations were lost).
    const iat = Math.floor(Date.now() / 1000);
    const common = {
      sub: `user-${randomBytes(4).toString('hex')}`,
      aud: 'https://api.example',
      client_id: `client-${randomBytes(4).toString('hex')}`,
      scope: 'read',
      jti: randomBytes(16).toString('base64url'),
      iat,
      exp: iat + 3600,
    };
    return { a: { ...common, iss: `https://issuer/t/a` }, b: { ...common, iss: `https://issuer/t/b` } };
  }

  beforeAll(async () => {
    store = await factory();
    status = new TokenStatusService(store, new SystemTimeClock());
  });

  afterAll(async () => {
    await store?.close();
  });

  it('revoking A\'s jti leaves B\'s token with the same jti live', async () => {
    const { a, b } = twinTokens();
    await status.revokeToken(tenantA, a);
    expect(await status.isRevoked(tenantA, a)).toBe(true);
    expect(await status.isRevoked(tenantB, b)).toBe(false);
  });

  it('revoking everything of A\'s client leaves B\'s token of the same client_id live', async () => {
    const { a, b } = twinTokens();
    await status.revokeAllOfClient(tenantA, a.client_id);
    expect(await status.isRevoked(tenantA, a)).toBe(true);
    expect(await status.isRevoked(tenantB, b)).toBe(false);
  });

  it('revoking everything of A\'s subject leaves B\'s token of the same sub live', async () => {
    const { a, b } = twinTokens();
    await status.revokeAllOfSubject(tenantA, a.sub);
    expect(await status.isRevoked(tenantA, a)).toBe(true);
    expect(await status.isRevoked(tenantB, b)).toBe(false);
  });

  it('revoking A\'s grant id and A\'s user-at-client leaves B\'s twin token live', async () => {
    const { a, b } = twinTokens();
    const [ga, gb] = [{ ...a, gid: 'family-1' }, { ...b, gid: 'family-1' }];
    await status.revokeGrant(tenantA, 'family-1');
    await status.revokeAllOfClientSubject(tenantA, a.client_id, a.sub);
    expect(await status.isRevoked(tenantA, ga)).toBe(true);
    expect(await status.isRevoked(tenantB, gb)).toBe(false);
    expect(await status.isRevoked(tenantB, b)).toBe(false);
  });

  it('revoking B\'s token, client, subject, user-at-client and grant does not revoke A\'s twin either', async () => {
    const { a, b } = twinTokens();
    await status.revokeToken(tenantB, b);
    await status.revokeAllOfClient(tenantB, b.client_id);
    await status.revokeAllOfSubject(tenantB, b.sub);
    await status.revokeAllOfClientSubject(tenantB, b.client_id, b.sub);
    await status.revokeGrant(tenantB, 'family-b');
    expect(await status.isRevoked(tenantB, b)).toBe(true);
    expect(await status.isRevoked(tenantA, a)).toBe(false);
    expect(await status.isRevoked(tenantA, { ...a, gid: 'family-b' })).toBe(false);
  });
});
