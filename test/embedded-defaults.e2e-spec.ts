import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { AdminApi, clientCredentials, discover } from './support/oauth-client.js';
import { startTessera } from './support/tessera-process.js';

/**
 * `npm start` on a fresh machine: no DATABASE_URL, no REDIS_URL, no KEY_ENCRYPTION_KEY. The server
 * runs an embedded PostgreSQL under DATA_DIR and the in-process store, and keeps its data across a
 * stop and a start.
 */
describe('embedded defaults (no DATABASE_URL, no REDIS_URL)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-embedded-'));
  const env = { DATA_DIR: dataDir, KEY_ENCRYPTION_KEY: undefined, BOOTSTRAP_ADMIN_PASSWORD: undefined };

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('issues a verifiable client_credentials token, keeps tenants and clients across a restart, prints the admin password once', async () => {
    const first = await startTessera({ embedded: true, env, timeoutMs: 90_000 });
    let tenant: { slug: string; issuer: string };
    let client: { clientId: string; clientSecret: string };
    let password: string;
    try {
      const banner = /password: (\S+)/.exec(first.output());
      expect(banner).not.toBeNull();
      password = banner![1]!;
      expect(first.output()).toContain('KEY_ENCRYPTION_KEY is unset');
      expect(existsSync(path.join(dataDir, 'key-encryption.key'))).toBe(true);

      const admin = new AdminApi(first);
      tenant = await admin.createTenant('emb');
      client = await admin.createClient(tenant.slug);
      const res = await clientCredentials(tenant.issuer, { id: client.clientId, secret: client.clientSecret });
      expect(res.status).toBe(200);
      const { jwks_uri } = await discover(tenant.issuer);
      await expect(jwtVerify(res.body.access_token, createRemoteJWKSet(new URL(jwks_uri)), { issuer: tenant.issuer })).resolves.toBeDefined();
    } finally {
      expect(await first.stop('SIGTERM')).toBe(0);
    }
    // PostgreSQL was stopped with the server: its lock file is gone.
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = await startTessera({ embedded: true, env, timeoutMs: 90_000 });
    try {
      expect(second.output()).not.toContain(password);
      expect(second.output()).not.toMatch(/password: /);
      const admin = new AdminApi(second);
      const read = await admin.request('GET', `/tenants/${tenant.slug}/clients/${client.clientId}`);
      expect(read.status).toBe(200);
      const res = await clientCredentials(second.issuer(tenant.slug), { id: client.clientId, secret: client.clientSecret });
      expect(res.status).toBe(200);
    } finally {
      expect(await second.stop('SIGTERM')).toBe(0);
    }
  }, 240_000);
});
