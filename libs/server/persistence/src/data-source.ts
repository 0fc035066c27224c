import { DataSource } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { ObservedPgClient } from './observed-pg-client.js';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema.js';
import { ClientRefreshIdleTtl1764100000000 } from './migrations/1764100000000-client-refresh-idle-ttl.js';
import { TokenIssuanceStats1764200000000 } from './migrations/1764200000000-token-issuance-stats.js';
import { UserSessionVersion1764300000000 } from './migrations/1764300000000-user-session-version.js';
import { IdTokenSigningAlg1764400000000 } from './migrations/1764400000000-id-token-signing-alg.js';

export const MIGRATIONS = [
  InitialSchema1764000000000,
  ClientRefreshIdleTtl1764100000000,
  TokenIssuanceStats1764200000000,
  UserSessionVersion1764300000000,
  IdTokenSigningAlg1764400000000,
];

/** Any number which is ours alone: serialises migrations of server processes starting together. */
const MIGRATION_LOCK = 727_274_001;

export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    // Schema changes are migrations, run at start; never synchronize.
    synchronize: false,
    migrationsRun: false,
    logging: false,
    // ObservedPgClient times each query for the store latency metric (docs/reference/metrics.md).
    extra: { max: poolSize, connectionTimeoutMillis: 5_000, statement_timeout: 15_000, Client: ObservedPgClient },
  });
}

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so that several processes starting at
 * once apply each migration exactly once.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
