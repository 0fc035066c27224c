// What an operation costs the datastores, counted rather than estimated: snapshots before and after a
// fixed number of operations, on datastores that serve nothing else.
//
// Redis: INFO commandstats of every node (a command a Lua script runs is counted by Redis too, under
// its own name, next to the EVAL that ran it), and the CPU time of the redis-server processes.
// PostgreSQL: pg_stat_statements of Tessera's database (calls, rows and WAL bytes of each top-level
// statement: updated as each statement ends, so exact at once), the transaction ids handed out (one
// per transaction that wrote, cluster-wide), the WAL position, and the CPU time of every PostgreSQL
// process. (pg_stat_database would be the obvious source, but backends report to it only every
// second or, when idle, after up to 10 s: too late for a snapshot right after the load.)
import pg from 'pg';
import { createClient } from 'redis';
import { cpuSeconds } from './procs.mjs';
import { parseInfo } from './datastores.mjs';

/** Commands of our own snapshot connections, never Tessera's. */
const OWN_COMMANDS = new Set(['info', 'hello', 'select', 'client|setinfo', 'client|setname']);

/** Counts Redis commands on the nodes at `urls` (one Redis, or every primary of a Cluster). */
export async function redisCounter(urls, pids) {
  const clients = await Promise.all(
    urls.map(async (url) => {
      const client = createClient({ url });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    }),
  );
  return {
    async snapshot() {
      const commands = new Map();
      for (const client of clients) {
        for (const [key, value] of Object.entries(parseInfo(await client.info('commandstats')))) {
          const name = key.replace(/^cmdstat_/, '');
          if (OWN_COMMANDS.has(name)) continue;
          const calls = Number(/calls=(\d+)/.exec(value)?.[1] ?? 0);
          commands.set(name, (commands.get(name) ?? 0) + calls);
        }
      }
      return { commands, cpu: pids().reduce((s, pid) => s + cpuSeconds(pid), 0) };
    },
    async close() {
      await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
    },
  };
}

export function redisDelta(before, after) {
  const commands = {};
  let total = 0;
  for (const [name, calls] of after.commands) {
    const d = calls - (before.commands.get(name) ?? 0);
    if (d > 0) {
      commands[name] = d;
      total += d;
    }
  }
  return { commands, total, cpu: after.cpu - before.cpu };
}

/** The kind of a statement by its first keyword (after any WITH list). */
export function statementKind(query) {
  const text = query.replace(/\/\*[\s\S]*?\*\//g, '').replace(/--[^\n]*/g, '').trim().toLowerCase();
  const first = /^[a-z]+/.exec(text)?.[0] ?? '';
  if (first === 'with') return /\b(insert|update|delete|merge)\b/.test(text) ? 'write' : 'read';
  if (first === 'select' || first === 'values' || first === 'table') return 'read';
  if (['insert', 'update', 'delete', 'merge', 'copy'].includes(first)) return 'write';
  if (['begin', 'start', 'commit', 'end', 'rollback', 'savepoint', 'release'].includes(first)) return 'transaction';
  return 'other';
}

/** Counts statements of database `database` through a connection to the `postgres` database. */
export async function postgresCounter(adminUrl, database, pids) {
  const db = new pg.Client({ connectionString: adminUrl });
  await db.connect();
  const { rows } = await db.query('SELECT oid FROM pg_database WHERE datname = $1', [database]);
  if (rows.length === 0) throw new Error(`no database ${database}`);
  const dbid = rows[0].oid;
  return {
    async snapshot() {
      const statements = await db.query(
        `SELECT queryid::text AS id, query, calls::float8 AS calls, rows::float8 AS rows, wal_bytes::float8 AS wal
           FROM pg_stat_statements WHERE dbid = $1 AND toplevel`,
        [dbid],
      );
      // One xid for this very statement: the next snapshot subtracts it.
      const { rows: state } = await db.query(
        `SELECT pg_current_xact_id()::text::float8 AS xid, pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::float8 AS wal`,
      );
      return {
        statements: new Map(statements.rows.map((r) => [r.id, r])),
        xid: state[0].xid,
        wal: state[0].wal,
        cpu: pids().reduce((s, pid) => s + cpuSeconds(pid), 0),
      };
    },
    async close() {
      await db.end().catch(() => undefined);
    },
  };
}

export function postgresDelta(before, after) {
  const statements = [];
  const totals = { read: 0, write: 0, transaction: 0, other: 0, rowsWritten: 0 };
  for (const [id, row] of after.statements) {
    const prev = before.statements.get(id);
    const calls = row.calls - (prev?.calls ?? 0);
    if (calls <= 0) continue;
    const kind = statementKind(row.query);
    const rows = row.rows - (prev?.rows ?? 0);
    totals[kind] += calls;
    if (kind === 'write') totals.rowsWritten += rows;
    statements.push({ query: row.query.replace(/\s+/g, ' ').trim(), kind, calls, rows, wal: row.wal - (prev?.wal ?? 0) });
  }
  statements.sort((a, b) => b.calls - a.calls);
  return {
    ...totals,
    statements,
    // Minus the xid of the second snapshot's own statement.
    writeTransactions: after.xid - before.xid - 1,
    walBytes: after.wal - before.wal,
    cpu: after.cpu - before.cpu,
  };
}
