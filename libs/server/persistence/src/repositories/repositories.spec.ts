import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { ConflictError, ValidationFailedError } from '@tessera/contracts';
import type { NewSigningKey } from '@tessera/keys';
import type { Tenant } from '@tessera/tenancy';
import { QueryFailedError, type DataSource } from 'typeorm';
import { isDatabaseUnavailableError } from '../database-availability.js';
import { encodeCursor } from './keyset-page.js';
import { allPages, newClient, newSigningKey, newTenant, newUser, uniqueSlug } from '../testing/persistence-fixtures.js';
import { openRepositorySet, type TestDatabase } from '../testing/test-database.js';
import { TypeOrmAuditEventRepository } from './typeorm-audit-event.repository.js';
import { TypeOrmClientRepository } from './typeorm-client.repository.js';
import { TypeOrmScopeRepository } from './typeorm-scope.repository.js';
import { TypeOrmSigningKeyRepository } from './typeorm-signing-key.repository.js';
import { TypeOrmTenantRepository } from './typeorm-tenant.repository.js';
import { TypeOrmTokenIssuanceStatsRepository } from './typeorm-token-issuance-stats.repository.js';
import { TypeOrmUserRepository } from './typeorm-user.repository.js';

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

/** A tenant of its own for each test, so tests do not see each other's rows. */
function freshTenant(): Promise<Tenant> {
  return tenants.create(newTenant(uniqueSlug()));
}

async function countRows(table: string, tenantId: string): Promise<number> {
  const [{ n }]: Array<{ n: number }> = await ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [tenantId]);
  return n;
}

describe('TypeOrmTenantRepository', () => {
  it('creates a tenant with default settings and finds it by slug and by id', async () => {
    const slug = uniqueSlug('acme');
    const created = await tenants.create(newTenant(slug, 'Acme'));
    expect(created).toMatchObject({
      slug,
      displayName: 'Acme',
      settings: { branding: { logoUrl: null, primaryColor: null }, passwordGrantEnabled: false, implicitGrantEnabled: false },
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(await tenants.findBySlug(slug)).toEqual(created);
    expect(await tenants.findById(created.id)).toEqual(created);
    expect(await tenants.findBySlug(uniqueSlug('nope'))).toBeNull();
    expect(await tenants.findById('00000000-0000-0000-0000-000000000000')).toBeNull();
  });

  it('rejects a duplicate slug with ConflictError', async () => {
    const slug = uniqueSlug();
    await tenants.create(newTenant(slug));
    await expect(tenants.create(newTenant(slug, 'Another'))).rejects.toBeInstanceOf(ConflictError);
  });

  it('pages through every tenant exactly once, in creation order, following cursors', async () => {
    const created: Tenant[] = [];
    for (let i = 0; i < 5; i++) created.push(await freshTenant());
    const pages = await allPages((page) => tenants.list(page), 2);
    const ids = pages.flat().map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages.slice(0, -1).every((p) => p.length === 2)).toBe(true);
    const ours = ids.filter((id) => created.some((t) => t.id === id));
    expect(ours).toEqual(created.map((t) => t.id));
  });

  it('restricts the list to onlyIds across pages, and to nothing for an empty onlyIds', async () => {
    const created: Tenant[] = [];
    for (let i = 0; i < 4; i++) created.push(await freshTenant());
    const only = [created[0]!.id, created[2]!.id, created[3]!.id];
    const pages = await allPages((page) => tenants.list(page, only), 2);
    expect(pages.map((p) => p.map((t) => t.id))).toEqual([[created[0]!.id, created[2]!.id], [created[3]!.id]]);
    expect(await tenants.list({ limit: 10 }, [])).toEqual({ items: [], next: null });
  });

  it('answers a cursor it did not issue with ValidationFailedError on the cursor field', async () => {
    for (const cursor of ['not-a-cursor', Buffer.from('["yesterday","x"]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')]) {
      const attempt = tenants.list({ limit: 2, cursor });
      await expect(attempt).rejects.toBeInstanceOf(ValidationFailedError);
      await expect(attempt).rejects.toMatchObject({ errors: [{ field: 'cursor' }] });
    }
  });

  it('updates the display name and settings, keeping the slug', async () => {
    const tenant = await freshTenant();
    const updated = await tenants.update(tenant.id, {
      displayName: 'Renamed',
      settings: {
        audience: 'https://api.example',
        branding: { logoUrl: 'https://cdn.example/logo.png', primaryColor: '#112233' },
        passwordGrantEnabled: true,
        implicitGrantEnabled: false,
      },
    });
    expect(updated).toMatchObject({
      slug: tenant.slug,
      displayName: 'Renamed',
      settings: { audience: 'https://api.example', branding: { primaryColor: '#112233' }, passwordGrantEnabled: true },
    });
    expect(await tenants.findById(tenant.id)).toEqual(updated);
    const renamedOnly = await tenants.update(tenant.id, { displayName: 'Again' });
    expect(renamedOnly.settings).toEqual(updated.settings);
  });

  it('deletes a tenant with its clients, users, scopes and signing keys, but keeps its audit trail', async () => {
    const tenant = await freshTenant();
    await clients.create(newClient(tenant.id, 'c1'));
    await users.create(newUser(tenant.id, 'u1'));
    await scopes.create({ tenantId: tenant.id, name: 'read', description: '' });
    await keys.insert(newSigningKey(tenant.id));
    await audit.append({
      tenantId: tenant.id,
      action: 'tenant.created',
      actor: { type: 'system', id: null, label: null },
      target: { type: 'tenant', id: tenant.id },
      ip: null,
      userAgent: null,
      details: {},
    });
    for (const table of ['clients', 'users', 'scopes', 'signing_keys']) expect(await countRows(table, tenant.id)).toBe(1);

    await tenants.delete(tenant.id);

    expect(await tenants.findById(tenant.id)).toBeNull();
    for (const table of ['clients', 'users', 'scopes', 'signing_keys']) expect(await countRows(table, tenant.id)).toBe(0);
    expect(await countRows('audit_events', tenant.id)).toBe(1);
  });
});

describe('TypeOrmClientRepository', () => {
  it('creates a client and finds it by client id with every field intact', async () => {
    const tenant = await freshTenant();
    const input = newClient(tenant.id, 'web', {
      redirectUris: ['https://a.example/cb', 'http://127.0.0.1/cb'],
      postLogoutRedirectUris: ['https://a.example/bye'],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'read'],
      firstParty: true,
    });
    const created = await clients.create(input);
    expect(created).toMatchObject({ ...input, secretRotatedAt: null });
    expect(created.secretHash!.equals(input.secretHash!)).toBe(true);
    const found = await clients.findByClientId(tenant.id, 'web');
    expect(found).toEqual(created);
    expect(await clients.findByClientId(tenant.id, 'other')).toBeNull();
  });

  it('stores a public client without a secret hash', async () => {
    const tenant = await freshTenant();
    const created = await clients.create(newClient(tenant.id, 'spa', { type: 'public', secretHash: null }));
    expect((await clients.findByClientId(tenant.id, 'spa'))?.secretHash).toBeNull();
    expect(created.type).toBe('public');
  });

  it('rejects a second client with the same client id in a tenant with ConflictError', async () => {
    const tenant = await freshTenant();
    await clients.create(newClient(tenant.id, 'dup'));
    await expect(clients.create(newClient(tenant.id, 'dup'))).rejects.toBeInstanceOf(ConflictError);
  });

  it('updates only the fields in the patch and returns null for an unknown client', async () => {
    const tenant = await freshTenant();
    const created = await clients.create(newClient(tenant.id, 'svc'));
    const rotatedAt = new Date('2030-01-02T03:04:05.678Z');
    const newHash = Buffer.alloc(32, 7);
    const updated = await clients.update(tenant.id, 'svc', {
      name: 'Renamed',
      scopes: ['a', 'b'],
      accessTokenTtl: 600,
      secretHash: newHash,
      secretRotatedAt: rotatedAt,
      redirectUris: undefined,
    });
    expect(updated).toMatchObject({ name: 'Renamed', scopes: ['a', 'b'], accessTokenTtl: 600, redirectUris: created.redirectUris });
    const found = await clients.findByClientId(tenant.id, 'svc');
    expect(found?.secretHash?.equals(newHash)).toBe(true);
    expect(found?.secretRotatedAt?.toISOString()).toBe(rotatedAt.toISOString());
    expect(found?.grantTypes).toEqual(created.grantTypes);
    expect(await clients.update(tenant.id, 'missing', { name: 'x' })).toBeNull();
  });

  it('deletes a client once: true, then false', async () => {
    const tenant = await freshTenant();
    await clients.create(newClient(tenant.id, 'gone'));
    expect(await clients.delete(tenant.id, 'gone')).toBe(true);
    expect(await clients.findByClientId(tenant.id, 'gone')).toBeNull();
    expect(await clients.delete(tenant.id, 'gone')).toBe(false);
  });

  it('pages through a tenant\'s clients in creation order without repeats or gaps', async () => {
    const tenant = await freshTenant();
    const ids = ['c1', 'c2', 'c3', 'c4', 'c5'];
    for (const id of ids) await clients.create(newClient(tenant.id, id));
    const pages = await allPages((page) => clients.list(tenant.id, page), 2);
    expect(pages.map((p) => p.map((c) => c.clientId))).toEqual([['c1', 'c2'], ['c3', 'c4'], ['c5']]);
    expect(await clients.list(tenant.id, { limit: 5 })).toMatchObject({ next: null });
  });

  it('pages correctly through clients created in one transaction (equal created_at, ordered by id)', async () => {
    const tenant = await freshTenant();
    await ds.transaction(async (em) => {
      for (let i = 0; i < 5; i++) {
        await em.query(
          `INSERT INTO clients (tenant_id, client_id, name, type, secret_hash, access_token_ttl, refresh_token_ttl)
           VALUES ($1, $2, 'n', 'confidential', '\\x00', 60, 60)`,
          [tenant.id, `tx${i}`],
        );
      }
    });
    const pages = await allPages((page) => clients.list(tenant.id, page), 2);
    const seen = pages.flat().map((c) => c.clientId);
    expect(seen.sort()).toEqual(['tx0', 'tx1', 'tx2', 'tx3', 'tx4']);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
  });

  it('rejects a forged cursor with ValidationFailedError', async () => {
    const tenant = await freshTenant();
    await expect(clients.list(tenant.id, { limit: 2, cursor: '%%%' })).rejects.toBeInstanceOf(ValidationFailedError);
    const overlong = encodeCursor(new Date(), 'x'.repeat(300));
    await expect(clients.list(tenant.id, { limit: 2, cursor: overlong })).rejects.toBeInstanceOf(ValidationFailedError);
  });

  it('reports the longest access-token lifetime of the tenant\'s clients, 0 without clients', async () => {
    const tenant = await freshTenant();
    expect(await clients.maxAccessTokenTtl(tenant.id)).toBe(0);
    await clients.create(newClient(tenant.id, 'short', { accessTokenTtl: 300 }));
    await clients.create(newClient(tenant.id, 'long', { accessTokenTtl: 7200 }));
    await clients.create(newClient(tenant.id, 'mid', { accessTokenTtl: 900 }));
    expect(await clients.maxAccessTokenTtl(tenant.id)).toBe(7200);
  });
});

describe('TypeOrmUserRepository', () => {
  it('rejects a username that differs only in case with ConflictError', async () => {
    const tenant = await freshTenant();
    await users.create(newUser(tenant.id, 'Alice'));
    await expect(users.create(newUser(tenant.id, 'alice'))).rejects.toBeInstanceOf(ConflictError);
    await expect(users.create(newUser(tenant.id, 'ALICE'))).rejects.toBeInstanceOf(ConflictError);
  });

  it('finds a user by username in any case, keeping the spelling it was created with', async () => {
    const tenant = await freshTenant();
    const created = await users.create(newUser(tenant.id, 'Bob.Smith'));
    for (const name of ['Bob.Smith', 'bob.smith', 'BOB.SMITH']) {
      expect(await users.findByUsername(tenant.id, name)).toMatchObject({ id: created.id, username: 'Bob.Smith' });
    }
    expect(await users.findByUsername(tenant.id, 'bob')).toBeNull();
    // LIKE wildcards are plain characters to an equality match.
    expect(await users.findByUsername(tenant.id, 'bob_smith')).toBeNull();
  });

  it('finds by id, updates only patched fields, deletes once', async () => {
    const tenant = await freshTenant();
    const created = await users.create(newUser(tenant.id, 'carol'));
    // Every column, as creation returned it (findById runs a prepared statement, not TypeORM).
    expect({ ...(await users.findById(tenant.id, created.id)) }).toEqual({ ...created });
    const updated = await users.update(tenant.id, created.id, { disabled: true, name: undefined, email: null });
    expect(updated).toMatchObject({ disabled: true, name: 'carol', email: null });
    expect(await users.update(tenant.id, '00000000-0000-0000-0000-000000000000', { disabled: true })).toBeNull();
    expect(await users.delete(tenant.id, created.id)).toBe(true);
    expect(await users.delete(tenant.id, created.id)).toBe(false);
    expect(await users.findById(tenant.id, created.id)).toBeNull();
  });

  it('pages through a tenant\'s users in creation order', async () => {
    const tenant = await freshTenant();
    for (const name of ['u1', 'u2', 'u3']) await users.create(newUser(tenant.id, name));
    const pages = await allPages((page) => users.list(tenant.id, page), 2);
    expect(pages.map((p) => p.map((u) => u.username))).toEqual([['u1', 'u2'], ['u3']]);
  });
});

describe('prepared look-ups', () => {
  it('report a closed database as unavailable (503), like every TypeORM query', async () => {
    const closed = await db.open();
    const lookups = new TypeOrmClientRepository(closed);
    const people = new TypeOrmUserRepository(closed);
    await closed.destroy();
    const tenantId = '00000000-0000-0000-0000-000000000000';
    for (const call of [() => lookups.findByClientId(tenantId, 'web'), () => people.findById(tenantId, tenantId)]) {
      const error = await call().then(() => undefined, (e: unknown) => e);
      expect(isDatabaseUnavailableError(error)).toBe(true);
    }
  });

  it('report a malformed value as a query error, not as an unavailable database', async () => {
    const error = await users.findById('not-a-uuid', 'not-a-uuid').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(isDatabaseUnavailableError(error)).toBe(false);
  });
});

describe('TypeOrmScopeRepository', () => {
  it('lists scopes ordered by name and pages with cursors', async () => {
    const tenant = await freshTenant();
    for (const name of ['write', 'admin', 'read', 'billing', 'zeta']) {
      await scopes.create({ tenantId: tenant.id, name, description: `${name} access` });
    }
    const pages = await allPages((page) => scopes.list(tenant.id, page), 2);
    expect(pages.map((p) => p.map((s) => s.name))).toEqual([['admin', 'billing'], ['read', 'write'], ['zeta']]);
    expect(pages[0]![0]).toMatchObject({ tenantId: tenant.id, description: 'admin access' });
  });

  it('finds which of the given names the tenant defines', async () => {
    const tenant = await freshTenant();
    await scopes.create({ tenantId: tenant.id, name: 'read', description: '' });
    await scopes.create({ tenantId: tenant.id, name: 'write', description: '' });
    expect((await scopes.findNames(tenant.id, ['write', 'unknown', 'read'])).sort()).toEqual(['read', 'write']);
    expect(await scopes.findNames(tenant.id, ['unknown'])).toEqual([]);
    expect(await scopes.findNames(tenant.id, [])).toEqual([]);
  });

  it('rejects a duplicate scope name with ConflictError, leaving the first one unchanged, and deletes once', async () => {
    const tenant = await freshTenant();
    const created = await scopes.create({ tenantId: tenant.id, name: 'read', description: 'first' });
    expect(created.createdAt).toBeInstanceOf(Date);
    await expect(scopes.create({ tenantId: tenant.id, name: 'read', description: 'again' })).rejects.toBeInstanceOf(ConflictError);
    expect((await scopes.list(tenant.id, { limit: 10 })).items).toMatchObject([{ name: 'read', description: 'first' }]);
    expect(await scopes.delete(tenant.id, 'read')).toBe(true);
    expect(await scopes.delete(tenant.id, 'read')).toBe(false);
  });

  it('rejects a malformed cursor with ValidationFailedError', async () => {
    const tenant = await freshTenant();
    await expect(scopes.list(tenant.id, { limit: 1, cursor: 'garbage' })).rejects.toBeInstanceOf(ValidationFailedError);
  });
});

describe('TypeOrmSigningKeyRepository', () => {
  const rsa = (tenantId: string, overrides: Partial<NewSigningKey> = {}) =>
    newSigningKey(tenantId, { alg: 'RS256', publicJwk: { kty: 'RSA', n: randomBytes(256).toString('base64url'), e: 'AQAB' }, ...overrides });

  it('rotation retires every active key with its publication window and leaves exactly one active key per algorithm', async () => {
    const tenant = await freshTenant();
    const first = await keys.insert(newSigningKey(tenant.id));
    const firstRsa = await keys.insert(rsa(tenant.id));
    const retiredAt = new Date('2030-01-01T00:00:00.000Z');
    const publishUntil = new Date('2030-01-02T00:00:00.000Z');
    const second = await keys.rotate(tenant.id, [newSigningKey(tenant.id), rsa(tenant.id)], retiredAt, publishUntil);
    const third = await keys.rotate(tenant.id, [newSigningKey(tenant.id), rsa(tenant.id)], retiredAt, publishUntil);
    expect(third.map((k) => k.alg)).toEqual(['ES256', 'RS256']);

    const listed = await keys.list(tenant.id);
    // Newest first; keys of one rotation share created_at and come ES256 first.
    expect(listed.slice(0, 4).map((k) => k.kid)).toEqual([...third, ...second].map((k) => k.kid));
    expect(new Set(listed.slice(4).map((k) => k.kid))).toEqual(new Set([first.kid, firstRsa.kid]));
    expect(listed.filter((k) => k.status === 'active').map((k) => k.kid)).toEqual(third.map((k) => k.kid));
    for (const before of [first, firstRsa]) {
      const old = listed.find((k) => k.kid === before.kid)!;
      expect(old).toMatchObject({ status: 'retired', retiredAt, publishUntil, alg: before.alg });
      expect(old.privateKeySealed.equals(before.privateKeySealed)).toBe(true);
      expect(old.publicJwk).toEqual(before.publicJwk);
    }
  });

  it('refuses a second active key of an algorithm (partial unique index), but allows one per algorithm and many retired ones', async () => {
    const tenant = await freshTenant();
    await keys.insert(newSigningKey(tenant.id));
    await keys.insert(rsa(tenant.id));
    await expect(keys.insert(newSigningKey(tenant.id))).rejects.toMatchObject({ driverError: { code: '23505' } });
    await expect(keys.insert(rsa(tenant.id))).rejects.toMatchObject({ driverError: { code: '23505' } });
    await keys.insert(newSigningKey(tenant.id, { status: 'retired', retiredAt: new Date(), publishUntil: new Date() }));
    await keys.insert(rsa(tenant.id, { status: 'retired', retiredAt: new Date(), publishUntil: new Date() }));
    expect((await keys.list(tenant.id)).filter((k) => k.status === 'active').map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
  });

  it('keeps the old keys active when the rotation fails (one transaction)', async () => {
    const tenant = await freshTenant();
    const first = await keys.insert(newSigningKey(tenant.id));
    const firstRsa = await keys.insert(rsa(tenant.id));
    // A kid that already exists makes the second insert of the rotation fail after the first one.
    await expect(keys.rotate(tenant.id, [newSigningKey(tenant.id), rsa(tenant.id, { kid: first.kid })], new Date(), new Date())).rejects.toThrow();
    const listed = await keys.list(tenant.id);
    expect(listed).toHaveLength(2);
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kid: first.kid, status: 'active', retiredAt: null }),
        expect.objectContaining({ kid: firstRsa.kid, status: 'active', retiredAt: null }),
      ]),
    );
  });
});

describe('TypeOrmAuditEventRepository', () => {
  const event = (tenantId: string | null, action: string, actorId: string, targetId: string) => ({
    tenantId,
    action,
    actor: { type: 'admin' as const, id: actorId, label: `${actorId}@example.test` },
    target: { type: 'client', id: targetId },
    ip: '192.0.2.1',
    userAgent: 'spec',
    details: { n: 1, nested: { ok: true } },
  });

  it('lists a tenant\'s events newest first, with every field, and pages by id cursor', async () => {
    const tenant = await freshTenant();
    for (let i = 0; i < 5; i++) await audit.append(event(tenant.id, `a.${i}`, 'admin-1', `t${i}`));
    await audit.append(event(null, 'platform.event', 'admin-1', 'x'));
    const pages = await allPages((page) => audit.list(tenant.id, {}, page), 2);
    expect(pages.map((p) => p.map((e) => e.action))).toEqual([['a.4', 'a.3'], ['a.2', 'a.1'], ['a.0']]);
    expect(pages[0]![0]).toMatchObject({
      tenantId: tenant.id,
      actor: { type: 'admin', id: 'admin-1', label: 'admin-1@example.test' },
      target: { type: 'client', id: 't4' },
      ip: '192.0.2.1',
      userAgent: 'spec',
      details: { n: 1, nested: { ok: true } },
    });
    expect(typeof pages[0]![0]!.id).toBe('string');
    expect(pages[0]![0]!.createdAt).toBeInstanceOf(Date);
  });

  it('filters by action, actor and target, and combines filters', async () => {
    const tenant = await freshTenant();
    await audit.append(event(tenant.id, 'client.created', 'alice', 'c1'));
    await audit.append(event(tenant.id, 'client.deleted', 'alice', 'c1'));
    await audit.append(event(tenant.id, 'client.created', 'bob', 'c2'));
    const actions = async (filter: object) => (await audit.list(tenant.id, filter, { limit: 10 })).items.map((e) => `${e.action}/${e.actor.id}`);
    expect(await actions({ action: 'client.created' })).toEqual(['client.created/bob', 'client.created/alice']);
    expect(await actions({ actorId: 'alice' })).toEqual(['client.deleted/alice', 'client.created/alice']);
    expect(await actions({ targetId: 'c2' })).toEqual(['client.created/bob']);
    expect(await actions({ action: 'client.created', actorId: 'alice' })).toEqual(['client.created/alice']);
    expect(await actions({ action: 'nothing' })).toEqual([]);
  });

  it.each(['abc', '0', '-1', '1.5', '12345678901234567890', ''])('rejects the cursor %p with ValidationFailedError', async (cursor) => {
    await expect(audit.list('00000000-0000-0000-0000-000000000000', {}, { limit: 1, cursor })).rejects.toBeInstanceOf(
      ValidationFailedError,
    );
  });
});

describe('TypeOrmTokenIssuanceStatsRepository', () => {
  const at = (iso: string) => new Date(iso);

  it('adds counts of several flushes (as from several processes) and totals them per day and per hour, per tenant', async () => {
    const stats = new TypeOrmTokenIssuanceStatsRepository(ds);
    const [a, b] = [await freshTenant(), await freshTenant()];
    await stats.add([
      { tenantId: a.id, hour: at('2030-01-01T10:00:00.000Z'), grantType: 'client_credentials', count: 2 },
      { tenantId: a.id, hour: at('2030-01-01T23:00:00.000Z'), grantType: 'client_credentials', count: 1 },
      { tenantId: b.id, hour: at('2030-01-01T10:00:00.000Z'), grantType: 'client_credentials', count: 7 },
    ]);
    await Promise.all([
      stats.add([{ tenantId: a.id, hour: at('2030-01-01T10:00:00.000Z'), grantType: 'client_credentials', count: 3 }]),
      stats.add([
        { tenantId: a.id, hour: at('2030-01-01T10:00:00.000Z'), grantType: 'client_credentials', count: 4 },
        { tenantId: a.id, hour: at('2030-01-02T00:00:00.000Z'), grantType: 'refresh_token', count: 5 },
      ]),
    ]);
    expect(await stats.totals(a.id, at('2030-01-01T00:00:00.000Z'), 'day')).toEqual([
      { period: '2030-01-01', grantType: 'client_credentials', count: 10 },
      { period: '2030-01-02', grantType: 'refresh_token', count: 5 },
    ]);
    expect(await stats.totals(a.id, at('2030-01-01T11:00:00.000Z'), 'hour')).toEqual([
      { period: '2030-01-01T23:00:00.000Z', grantType: 'client_credentials', count: 1 },
      { period: '2030-01-02T00:00:00.000Z', grantType: 'refresh_token', count: 5 },
    ]);
    expect(await stats.totals(b.id, at('2030-01-01T00:00:00.000Z'), 'day')).toEqual([
      { period: '2030-01-01', grantType: 'client_credentials', count: 7 },
    ]);
  });

  it('drops the counts of a deleted tenant instead of failing the whole flush, and deletes its rows with it', async () => {
    const stats = new TypeOrmTokenIssuanceStatsRepository(ds);
    const [kept, gone] = [await freshTenant(), await freshTenant()];
    await stats.add([{ tenantId: gone.id, hour: at('2030-01-01T10:00:00.000Z'), grantType: 'password', count: 1 }]);
    await tenants.delete(gone.id);
    expect(await countRows('token_issuance_stats', gone.id)).toBe(0);
    await stats.add([
      { tenantId: gone.id, hour: at('2030-01-01T10:00:00.000Z'), grantType: 'password', count: 1 },
      { tenantId: kept.id, hour: at('2030-01-01T10:00:00.000Z'), grantType: 'password', count: 1 },
    ]);
    expect(await countRows('token_issuance_stats', gone.id)).toBe(0);
    expect(await countRows('token_issuance_stats', kept.id)).toBe(1);
  });
});
