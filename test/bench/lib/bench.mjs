// What every part of the benchmark shares: the configuration, the datastores, the credentials, and
// starting, measuring and stopping the servers under test.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { runScenario } from './load.mjs';
import { BENCH_DIR, cpuMeter, freePort, ROOT, rssMb, startPinned, TESSERA_ENTRY } from './procs.mjs';
import { USER } from './seed.mjs';

export const SERVER_CORE = '0';
export const GENERATOR_CORE = '1';

export function log(message) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export class Bench {
  /**
   * config: see run.mjs. datastores: { databaseUrl, redisUrl, pids() } — the PostgreSQL and Redis
   * Tessera uses; pids() are their processes (for CPU accounting), or null for external ones.
   */
  constructor(config, datastores) {
    this.config = config;
    this.datastores = datastores;
    this.running = new Set();
    this.kek = randomBytes(32);
    this.bootstrap = { id: 'bench-admin', secret: randomBytes(32).toString('base64url') };
    /** The client of the minimal and oidc-provider servers (Tessera's are made through its API). */
    this.client = { id: 'bench', secret: randomBytes(24).toString('base64url') };
    this.opClients = {
      web: { id: 'web', secret: randomBytes(24).toString('base64url') },
      refresh: { id: 'refresh', secret: randomBytes(24).toString('base64url') },
    };
  }

  /** Whether scenario `key` is selected (BENCH_SCENARIOS) for server `server` (BENCH_SERVERS; null: any). */
  wanted(key, server = 'tessera') {
    const { scenarios, servers } = this.config;
    return (scenarios === null || scenarios.has(key)) && (servers === null || server === null || servers.has(server));
  }

  childEnv(extra) {
    return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
  }

  async #start(options, base) {
    const p = await startPinned({ cores: SERVER_CORE, ...options });
    p.base = base ?? `http://127.0.0.1:${JSON.parse(/\{"ready".*\}/.exec(p.output())[0]).port}`;
    this.running.add(p);
    return p;
  }

  async startMinimal({ database }) {
    return this.#start({
      name: 'minimal',
      args: [path.join(BENCH_DIR, 'servers/minimal.mjs')],
      env: this.childEnv({
        PORT: '0',
        CLIENT_ID: this.client.id,
        CLIENT_SECRET: this.client.secret,
        REDIS_URL: this.datastores.redisUrl,
        DATABASE_URL: database,
      }),
      ready: async (out) => /"ready":true/.test(out),
    });
  }

  async startOidcProvider() {
    const port = await freePort();
    const { web, refresh } = this.opClients;
    return this.#start(
      {
        name: 'oidc-provider',
        args: [path.join(BENCH_DIR, 'servers/oidc-provider.mjs')],
        env: this.childEnv({
          PORT: String(port),
          NODE_ENV: 'production',
          CLIENT_ID: this.client.id,
          CLIENT_SECRET: this.client.secret,
          WEB_ID: web.id,
          WEB_SECRET: web.secret,
          REFRESH_ID: refresh.id,
          REFRESH_SECRET: refresh.secret,
          USER_NAME: USER.username,
          USER_PASSWORD: USER.password,
        }),
        ready: async (out) => /"ready":true/.test(out),
      },
      `http://127.0.0.1:${port}`,
    );
  }

  /**
   * The built server, exactly as `npm start` runs it. Processes of one deployment share `publicUrl`
   * (the issuer of their tokens): by default the process's own address.
   */
  async startTessera({ cores = SERVER_CORE, nodeArgs = [], redisUrl = this.datastores.redisUrl, publicUrl } = {}) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    return this.#start(
      {
        name: 'tessera',
        cores,
        args: [...nodeArgs, TESSERA_ENTRY],
        env: this.childEnv({
          NODE_ENV: 'benchmark',
          LOG_LEVEL: 'warn',
          PORT: String(port),
          PUBLIC_URL: publicUrl ?? base,
          DATABASE_URL: this.datastores.databaseUrl,
          REDIS_URL: redisUrl,
          KEY_ENCRYPTION_KEY: this.kek.toString('base64'),
          BOOTSTRAP_CLIENT_ID: this.bootstrap.id,
          BOOTSTRAP_CLIENT_SECRET: this.bootstrap.secret,
          // Nothing balances load in front of it: stop at once rather than drain for 5 s each time.
          SHUTDOWN_DRAIN_SECONDS: '0',
        }),
        ready: async () => (await fetch(`${base}/readyz`)).status === 200,
      },
      base,
    );
  }

  /** Stops a server; returns its RSS (MB) just before. */
  async stop(p) {
    const rss = rssMb(p.pid);
    await p.stop();
    this.running.delete(p);
    return rss;
  }

  async stopAll() {
    for (const p of this.running) await p.stop().catch(() => undefined);
    this.running.clear();
  }

  /** Runs one scenario against `servers` (their pids for CPU accounting) and logs it. */
  async measure(label, scenario, servers, options = {}) {
    const meter = cpuMeter(
      servers.map((s) => s.pid),
      this.datastores.pids,
    );
    const first = servers.some((s) => !s.warmed);
    for (const s of servers) s.warmed = true;
    const { warmup: w, firstWarmup, duration } = this.config;
    const warmup = options.warmup ?? (first ? Math.max(w, firstWarmup) : w);
    const result = await runScenario(scenario, { duration: options.duration ?? duration, warmup });
    result.cpu = meter();
    result.rss = servers.map((s) => rssMb(s.pid));
    logResult(label, scenario.name, result);
    return result;
  }

  /** The bare argon2id verification rate with Tessera's parameters, on the server's core. */
  argon2Rate() {
    const p = spawnSync('taskset', ['-c', SERVER_CORE, process.execPath, path.join(BENCH_DIR, 'servers/argon2-rate.mjs')], {
      cwd: ROOT,
      env: this.childEnv({ DURATION: String(this.config.duration), WARMUP: String(Math.min(1, this.config.warmup)), CONCURRENCY: '4' }),
      encoding: 'utf8',
    });
    if (p.status !== 0) throw new Error(`argon2-rate failed: ${p.stderr}`);
    const result = JSON.parse(p.stdout.trim().split('\n').pop());
    log(`${'argon2id bare'.padEnd(14)} ${'verify, 19 MiB, t=2, p=1, 4 in flight'.padEnd(44)} ${result.rps.toFixed(1).padStart(6)}/s  p50 ${result.p50.toFixed(1)} p99 ${result.p99.toFixed(1)} ms`);
    return result;
  }
}

export function logResult(label, name, result) {
  const flow = result.flowP50 !== null ? ` flow p50 ${result.flowP50.toFixed(2)} p99 ${result.flowP99.toFixed(2)} ms` : '';
  const cpu = result.cpu
    ? `  cpu srv ${(result.cpu.server * 100).toFixed(0)}% gen ${(result.cpu.generator * 100).toFixed(0)}% db+redis ${(result.cpu.datastore * 100).toFixed(0)}%`
    : '';
  log(
    `${label.padEnd(14)} ${name.padEnd(44)} ${result.rps.toFixed(0).padStart(6)}/s  p50 ${result.p50?.toFixed(2)} p99 ${result.p99?.toFixed(2)} ms${flow}${cpu}` +
      (result.bad || result.errors ? `  BAD ${result.bad} ERR ${result.errors} (${result.lastBad ?? ''})` : ''),
  );
}
