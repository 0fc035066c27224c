// Starting, measuring and stopping the servers under test. Every server runs under `taskset -c CORES`
// (taskset execs node, so the child's pid is the server's pid).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BENCH_DIR = path.join(ROOT, 'test/bench');
export const TESSERA_ENTRY = path.join(ROOT, 'dist/server/apps/server/src/main.js');
const CLK_TCK = 100;

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Spawns `node args...` pinned to `cores`; resolves once `ready()` says so. */
export async function startPinned({ name, cores, args, env, ready, timeoutMs = 60_000 }) {
  const command = cores === null ? process.execPath : 'taskset';
  const argv = cores === null ? args : ['-c', String(cores), process.execPath, ...args];
  const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
  let output = '';
  child.stdout.on('data', (c) => (output += c.toString()));
  child.stderr.on('data', (c) => (output += c.toString()));
  let exitCode;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exitCode = code ?? signal))));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`${name} exited (${exitCode}) before it was ready:\n${output.slice(-4000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not ready in time:\n${output.slice(-4000)}`);
    }
    if (await ready(output).catch(() => false)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    name,
    pid: child.pid,
    child,
    output: () => output,
    async stop() {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Resident set size of a process in MB (VmRSS), null once it is gone. */
export function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/**
 * Waits until `pid` is idle (no CPU tick over 200 ms, at most 15 s): requests a run left in flight
 * when it stopped (a warm-up ends by the clock) finish before anyone reads counters.
 */
export async function settle(pid) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const before = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, 200));
    if (cpuSeconds(pid) - before < 0.005 || Date.now() > deadline) return;
  }
}

/** Pids of processes whose command name is one of `names` (PostgreSQL backends, Redis), read from /proc. */
export function pidsNamed(names) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (names.some((n) => comm.startsWith(n))) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/**
 * CPU accounting over one measurement: the servers, this process (the load generator) and the
 * datastores (`datastorePids()`: the benchmark's own PostgreSQL and Redis processes; by default every
 * PostgreSQL and redis-server process of the machine). Backends that start or end inside the window
 * are counted only for the part that the window saw.
 */
export function cpuMeter(serverPids, datastorePids = null) {
  const before = new Map();
  const store = datastorePids ?? (() => pidsNamed(['postgres', 'redis-server']));
  for (const pid of [...serverPids, ...store()]) before.set(pid, cpuSeconds(pid));
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const wall = (performance.now() - t0) / 1000;
    const self = process.cpuUsage(self0);
    const server = serverPids.reduce((sum, pid) => sum + cpuSeconds(pid) - (before.get(pid) ?? 0), 0);
    const datastore = store().reduce((sum, pid) => sum + cpuSeconds(pid) - (before.get(pid) ?? 0), 0);
    return {
      wall,
      server: server / wall,
      generator: (self.user + self.system) / 1e6 / wall,
      datastore: datastore / wall,
    };
  };
}
