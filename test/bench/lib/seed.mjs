// The benchmark's data: a database of its own (dropped and recreated per run), a few tenants and
// clients made through the admin API (so keys, provisioning and secrets are real), and bulk rows
// written with SQL where the API would take too long (10k clients to list; 1,000 tenants and 100k
// clients for the scale scenario). Bulk tenants get real signing keys, generated and sealed here
// exactly as KeysService does (AES-256-GCM under KEY_ENCRYPTION_KEY, the kid as AAD), and bulk
// clients real secrets (HMAC-SHA-256 under the key derived from KEY_ENCRYPTION_KEY, as
// apps/server/src/domain.module.ts derives it), so every bulk client can get tokens.
import { createCipheriv, createHash, createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import pg from 'pg';
import { createClient } from 'redis';

export const REDIRECT = 'https://app.example/callback';
export const USER = { username: 'ada', password: 'a long enough password for the bench' };

export function basic(id, secret) {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** For external datastores (BENCH_DATABASE_URL, BENCH_REDIS_URL): a fresh database, an empty Redis database. */
export async function resetExternal(databaseUrl, redisUrl) {
  const database = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: Object.assign(new URL(databaseUrl), { pathname: '/postgres' }).toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
  const redis = createClient({ url: redisUrl });
  redis.on('error', () => undefined);
  await redis.connect();
  await redis.flushDb();
  await redis.quit();
}

export class AdminApi {
  constructor(baseUrl, bootstrap) {
    this.baseUrl = baseUrl;
    this.bootstrap = bootstrap;
    this.token = null;
  }

  async accessToken() {
    if (!this.token) {
      const res = await fetch(`${this.baseUrl}/t/admin/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(this.bootstrap.id, this.bootstrap.secret) },
        body: 'grant_type=client_credentials',
      });
      const body = await res.json();
      if (res.status !== 200) throw new Error(`admin token: ${res.status} ${JSON.stringify(body)}`);
      this.token = body.access_token;
    }
    return this.token;
  }

  async request(method, path, body, expected = [200, 201]) {
    const headers = { authorization: `Bearer ${await this.accessToken()}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}/admin/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!expected.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : null;
  }
}

/** Through the admin API: the tenants and clients every scenario uses. */
export async function seedThroughApi(admin) {
  // The sign-in limits stay on (their Redis counters are part of a sign-in's cost), raised far above
  // what one user signing in hundreds of times a second from one address needs.
  const unlimited = { max: 100_000_000, windowSeconds: 60 };
  await admin.request('POST', '/tenants', {
    slug: 'bench',
    displayName: 'Bench',
    settings: { passwordGrantEnabled: true, rateLimits: { loginPerIp: unlimited, loginPerUsername: unlimited } },
  });
  await admin.request('POST', '/tenants/bench/scopes', { name: 'api:read', description: 'Read the API' });
  const service = await admin.request('POST', '/tenants/bench/clients', {
    name: 'Service',
    type: 'confidential',
    grantTypes: ['client_credentials'],
    scopes: ['api:read'],
    accessTokenTtl: 3600,
  });
  const web = await admin.request('POST', '/tenants/bench/clients', {
    name: 'Web app',
    type: 'confidential',
    grantTypes: ['authorization_code'],
    redirectUris: [REDIRECT],
    scopes: ['openid', 'profile', 'api:read'],
    accessTokenTtl: 3600,
  });
  const refresh = await admin.request('POST', '/tenants/bench/clients', {
    name: 'Offline app',
    type: 'confidential',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [REDIRECT],
    scopes: ['offline_access', 'api:read'],
    accessTokenTtl: 3600,
  });
  const legacy = await admin.request('POST', '/tenants/bench/clients', {
    name: 'Legacy app',
    type: 'confidential',
    grantTypes: ['password'],
    scopes: ['api:read'],
    accessTokenTtl: 3600,
  });
  await admin.request('POST', '/tenants/bench/users', { username: USER.username, email: 'ada@example.com', name: 'Ada', password: USER.password });
  await admin.request('POST', '/tenants', { slug: 'bench-list', displayName: 'Bench (10k clients)' });
  return {
    service: { id: service.clientId, secret: service.clientSecret },
    web: { id: web.clientId, secret: web.clientSecret },
    refresh: { id: refresh.clientId, secret: refresh.clientSecret },
    legacy: { id: legacy.clientId, secret: legacy.clientSecret },
  };
}

function secretHashKey(kek) {
  return createHmac('sha256', kek).update('tessera/client-secret-hmac/v1').digest();
}

/** The secret of bulk client `clientId`: derived, so 100k of them need no storage. */
export function bulkSecret(clientId) {
  return createHash('sha256').update(`tessera-bench/${clientId}`).digest('base64url');
}

async function insertClients(db, rows) {
  // One statement per 10k rows, column arrays through unnest.
  for (let i = 0; i < rows.length; i += 10_000) {
    const batch = rows.slice(i, i + 10_000);
    await db.query(
      `INSERT INTO clients (tenant_id, client_id, name, type, secret_hash, grant_types, scopes, access_token_ttl, refresh_token_ttl, created_at, updated_at)
       SELECT t, c, n, 'confidential', h, '{client_credentials}', '{api:read}', 3600, 86400, at, at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bytea[], $5::timestamptz[]) AS u(t, c, n, h, at)`,
      [batch.map((r) => r.tenantId), batch.map((r) => r.clientId), batch.map((r) => r.name), batch.map((r) => r.hash), batch.map((r) => r.createdAt)],
    );
  }
}

/** 10k confidential clients in tenant `bench-list`, created a millisecond apart. */
export async function seedListTenant(databaseUrl, kek, count) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query(`SELECT id FROM tenants WHERE slug = 'bench-list'`);
    const hashKey = secretHashKey(kek);
    const start = Date.now() - count;
    const clients = Array.from({ length: count }, (_, i) => {
      const clientId = `list-${String(i).padStart(6, '0')}`;
      return {
        tenantId: rows[0].id,
        clientId,
        name: `Listed client ${i}`,
        hash: createHmac('sha256', hashKey).update(bulkSecret(clientId), 'utf8').digest(),
        createdAt: new Date(start + i),
      };
    });
    await insertClients(db, clients);
    // Planner statistics, as autovacuum would have them on a live database: without them PostgreSQL
    // expects a handful of rows per tenant and sorts all 10k for every page.
    await db.query('ANALYZE');
  } finally {
    await db.end();
  }
}

function sealKey(kek, der, kid) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(der), cipher.final()]);
  return Buffer.concat([Buffer.of(1), iv, cipher.getAuthTag(), ciphertext]);
}

/**
 * `tenants` tenants (slugs s0000...), each provisioned as the API would (an active ES256 key, the
 * `account` scope and the built-in `account` client, plus the `api:read` scope) with `perTenant`
 * confidential client_credentials clients. Returns the tenant slugs and client ids.
 */
export async function seedScale(databaseUrl, kek, publicUrl, tenants, perTenant) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const hashKey = secretHashKey(kek);
  const layout = [];
  try {
    const slugs = Array.from({ length: tenants }, (_, i) => `s${String(i).padStart(4, '0')}`);
    const settings = JSON.stringify({ branding: { logoUrl: null, primaryColor: null }, passwordGrantEnabled: false, implicitGrantEnabled: false });
    const { rows } = await db.query(
      `INSERT INTO tenants (slug, display_name, settings) SELECT s, 'Scale ' || s, $2::jsonb FROM unnest($1::text[]) AS s RETURNING id, slug`,
      [slugs, settings],
    );
    const ids = rows.map((r) => r.id);
    const keys = ids.map(() => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const kid = randomBytes(12).toString('base64url');
      const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
      return { kid, jwk: JSON.stringify({ kty, crv, x, y }), sealed: sealKey(kek, privateKey.export({ format: 'der', type: 'pkcs8' }), kid) };
    });
    await db.query(
      `INSERT INTO signing_keys (tenant_id, kid, alg, public_jwk, private_key_sealed, status)
       SELECT t, k, 'ES256', j::jsonb, p, 'active' FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bytea[]) AS u(t, k, j, p)`,
      [ids, keys.map((k) => k.kid), keys.map((k) => k.jwk), keys.map((k) => k.sealed)],
    );
    await db.query(
      `INSERT INTO scopes (tenant_id, name, description)
       SELECT t, n, d FROM unnest($1::uuid[]) AS t, (VALUES ('account', 'Manage your account and the apps you allowed'), ('api:read', 'Read the API')) AS v(n, d)`,
      [ids],
    );
    await db.query(
      `INSERT INTO clients (tenant_id, client_id, name, type, redirect_uris, post_logout_redirect_uris, grant_types, scopes, first_party, built_in, access_token_ttl, refresh_token_ttl)
       SELECT r.id, 'account', 'Account', 'public', ARRAY[$2 || '/account/' || r.slug || '/callback'], ARRAY[$2 || '/account/' || r.slug],
              '{authorization_code,refresh_token}', '{openid,account}', true, true, 900, 86400
       FROM unnest($1::uuid[], $3::text[]) AS r(id, slug)`,
      [ids, publicUrl, slugs],
    );
    const clients = [];
    const start = Date.now() - tenants * perTenant;
    for (let t = 0; t < tenants; t++) {
      const entry = { slug: slugs[t], clients: [] };
      for (let c = 0; c < perTenant; c++) {
        const clientId = `${slugs[t]}-c${String(c).padStart(4, '0')}`;
        entry.clients.push(clientId);
        clients.push({
          tenantId: ids[t],
          clientId,
          name: `Scale client ${c}`,
          hash: createHmac('sha256', hashKey).update(bulkSecret(clientId), 'utf8').digest(),
          createdAt: new Date(start + t * perTenant + c),
        });
      }
      layout.push(entry);
    }
    await insertClients(db, clients);
    await db.query('ANALYZE');
  } finally {
    await db.end();
  }
  return layout;
}

export async function tableCounts(databaseUrl) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query(`SELECT (SELECT count(*) FROM tenants)::int AS tenants, (SELECT count(*) FROM clients)::int AS clients`);
    return rows[0];
  } finally {
    await db.end();
  }
}
