import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MIGRATIONS, runMigrations } from '../data-source.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

describe('runMigrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('applies each migration exactly once when two processes run them at the same time (advisory lock)', async () => {
    const [a, b] = await Promise.all([db.open(2), db.open(2)]);
    const applied = await Promise.all([runMigrations(a), runMigrations(b)]);
    expect(applied.flat()).toEqual(MIGRATIONS.map((m) => new m().name));
    const rows = await a.query('SELECT name FROM migrations');
    expect(rows).toHaveLength(MIGRATIONS.length);
    const tables: Array<{ table_name: string }> = await a.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['tenants', 'clients', 'users', 'scopes', 'signing_keys', 'audit_events']),
    );
  });

  it('is a no-op when run again', async () => {
    const ds = await db.open(2);
    expect(await runMigrations(ds)).toEqual([]);
    expect(await runMigrations(ds)).toEqual([]);
    expect(await ds.query('SELECT name FROM migrations')).toHaveLength(MIGRATIONS.length);
  });

  it('releases the advisory lock afterwards, so a later start is not blocked', async () => {
    const ds = await db.open(2);
    const [{ locks }]: Array<{ locks: number }> = await ds.query(`SELECT count(*)::int AS locks FROM pg_locks
       WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
    expect(locks).toBe(0);
  });
});
