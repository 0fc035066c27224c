import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '../data-source.js';
import { TypeOrmAuditEventRepository } from '../repositories/typeorm-audit-event.repository.js';
import { TypeOrmClientRepository } from '../repositories/typeorm-client.repository.js';
import { TypeOrmConsentRepository } from '../repositories/typeorm-consent.repository.js';
import { TypeOrmRefreshTokenRepository } from '../repositories/typeorm-refresh-token.repository.js';
import { TypeOrmScopeRepository } from '../repositories/typeorm-scope.repository.js';
import { TypeOrmSigningKeyRepository } from '../repositories/typeorm-signing-key.repository.js';
import { TypeOrmTenantMemberRepository } from '../repositories/typeorm-tenant-member.repository.js';
import { TypeOrmTenantRepository } from '../repositories/typeorm-tenant.repository.js';
import { TypeOrmTokenIssuanceStatsRepository } from '../repositories/typeorm-token-issuance-stats.repository.js';
import { TypeOrmUserRepository } from '../repositories/typeorm-user.repository.js';

/** The server the e2e tests use too; specs never touch its `test` database, only their own. */
const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** URL of a database created for this spec file alone. */
  url: string;
  /** A DataSource on it (initialized, migrations not run). */
  open(poolSize?: number): Promise<DataSource>;
  /** Closes every DataSource opened here and drops the database. */
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function onMaintenanceDb<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(SERVER_URL, 'postgres') });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates `tessera_spec_<random>` so parallel spec files and the e2e suite never share rows. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `tessera_spec_${randomBytes(6).toString('hex')}`;
  await onMaintenanceDb((c) => c.query(`CREATE DATABASE ${name}`));
  const url = withDatabase(SERVER_URL, name);
  const opened: DataSource[] = [];
  return {
    url,
    async open(poolSize = 4) {
      const ds = createDataSource(url, poolSize);
      opened.push(ds);
      return ds.initialize();
    },
    async drop() {
      await Promise.all(opened.filter((ds) => ds.isInitialized).map((ds) => ds.destroy()));
      await onMaintenanceDb((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** A migrated database of its own with every repository, one per table (refresh tokens: two). */
export async function openRepositorySet(poolSize?: number) {
  const db = await createTestDatabase();
  const ds = await db.open(poolSize);
  await runMigrations(ds);
  return {
    db,
    ds,
    tenants: new TypeOrmTenantRepository(ds),
    clients: new TypeOrmClientRepository(ds),
    users: new TypeOrmUserRepository(ds),
    scopes: new TypeOrmScopeRepository(ds),
    keys: new TypeOrmSigningKeyRepository(ds),
    audit: new TypeOrmAuditEventRepository(ds),
    consents: new TypeOrmConsentRepository(ds),
    refreshTokens: new TypeOrmRefreshTokenRepository(ds),
    members: new TypeOrmTenantMemberRepository(ds),
    tokenStats: new TypeOrmTokenIssuanceStatsRepository(ds),
  };
}
