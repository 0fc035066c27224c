#!/usr/bin/env node
// `npm run bench`: Tessera against node-oidc-provider and a minimal node:http token endpoint (the
// ceiling), on loopback, bounded, one server at a time pinned to core 0 and this process (the load
// generator, autocannon) pinned to core 1. See docs/performance.md for the method.
//
// Environment (all optional):
//   BENCH_QUICK=1            short development run: 1 round, 3 s per measurement, 1 s warm-up
//   BENCH_ROUNDS=3           interleaved rounds of minimal → tessera → oidc-provider
//   BENCH_DURATION=5         seconds measured per scenario;  BENCH_WARMUP=1  seconds of warm-up before each,
//   BENCH_FIRST_WARMUP=3     before the first one of each server process
//   BENCH_EXTRA_ROUNDS=1     rounds of the scale and two-process parts
//   BENCH_PARTS=rounds,scale,cluster,profile   which parts to run
//   BENCH_SCALE_TENANTS=1000 BENCH_SCALE_CLIENTS=100 (per tenant)  BENCH_LIST_CLIENTS=10000
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tessera_bench  (dropped and recreated!)
//   BENCH_REDIS_URL=redis://127.0.0.1:6379/7                           (flushed!)
//   BENCH_BUILD=auto|always|never   build the server first when its sources are newer than dist
//   BENCH_OUTPUT=docs/performance-results.md
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runScenario } from './lib/load.mjs';
import { BENCH_DIR, cpuMeter, freePort, ROOT, rssMb, startPinned, TESSERA_ENTRY } from './lib/procs.mjs';
import { summariseProfile } from './lib/profile.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { signIn, pkcePair } from './lib/browser.mjs';
import {
  AdminApi,
  basic,
  bulkSecret,
  flushRedis,
  REDIRECT,
  resetDatabase,
  seedListTenant,
  seedScale,
  seedThroughApi,
  tableCounts,
  USER,
} from './lib/seed.mjs';
import * as S from './scenarios.mjs';
import { URLSearchParams } from 'node:url';

const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const CONFIG = {
  rounds: Number(env.BENCH_ROUNDS ?? (QUICK ? 1 : 3)),
  duration: Number(env.BENCH_DURATION ?? (QUICK ? 3 : 5)),
  warmup: Number(env.BENCH_WARMUP ?? 1),
  // The first measurement after a server starts warms up longer (JIT, connection pools, caches).
  firstWarmup: Number(env.BENCH_FIRST_WARMUP ?? 3),
  extraRounds: Number(env.BENCH_EXTRA_ROUNDS ?? 1),
  parts: new Set((env.BENCH_PARTS ?? 'rounds,scale,cluster,profile').split(',').map((s) => s.trim())),
  scaleTenants: Number(env.BENCH_SCALE_TENANTS ?? 1000),
  scalePerTenant: Number(env.BENCH_SCALE_CLIENTS ?? 100),
  listClients: Number(env.BENCH_LIST_CLIENTS ?? 10_000),
  databaseUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tessera_bench',
  redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/7',
  output: path.resolve(ROOT, env.BENCH_OUTPUT ?? 'docs/performance-results.md'),
  artifacts: path.join(ROOT, 'test/artifacts/bench'),
};
const SERVER_CORE = '0';
const GENERATOR_CORE = '1';
const CONNECTIONS = [1, 16, 64];

// ---------------------------------------------------------------------------------------------
// Stage 1 (unpinned): build if needed, then run stage 2 pinned to the generator's core.
if (env.BENCH_STAGE !== 'pinned') {
  if (os.availableParallelism() < 2) {
    console.error('bench: needs at least 2 cores (one for the server, one for the load generator)');
    process.exit(2);
  }
  if (spawnSync('taskset', ['-V']).status !== 0) {
    console.error('bench: needs `taskset` (util-linux)');
    process.exit(2);
  }
  buildIfNeeded();
  const child = spawn('taskset', ['-c', GENERATOR_CORE, process.execPath, path.join(BENCH_DIR, 'run.mjs')], {
    stdio: 'inherit',
    env: { ...env, BENCH_STAGE: 'pinned' },
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  const started = Date.now();
  main()
    .then(() => {
      log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      process.exit(0);
    })
    .catch(async (error) => {
      console.error(error);
      await stopAll();
      process.exit(1);
    });
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function buildIfNeeded() {
  const mode = env.BENCH_BUILD ?? 'auto';
  if (mode === 'never') return;
  const built = existsSync(TESSERA_ENTRY) ? statSync(TESSERA_ENTRY).mtimeMs : 0;
  const sources = Math.max(...['apps/server/src', 'libs/server', 'libs/shared'].map((d) => newestMtime(path.join(ROOT, d))));
  if (mode === 'always' || built === 0 || sources > built) {
    log('building the server (npm run build:server)');
    const result = spawnSync('npm', ['run', 'build:server'], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}

// ---------------------------------------------------------------------------------------------
function log(message) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

const running = new Set();
async function stopAll() {
  for (const p of running) await p.stop().catch(() => undefined);
  running.clear();
}

const KEK = randomBytes(32);
const BOOTSTRAP = { id: 'bench-admin', secret: randomBytes(32).toString('base64url') };
const CLIENT = { id: 'bench', secret: randomBytes(24).toString('base64url') };

function childEnv(extra) {
  return { PATH: env.PATH, HOME: env.HOME, ...extra };
}

async function startMinimal() {
  const p = await startPinned({
    name: 'minimal',
    cores: SERVER_CORE,
    args: [path.join(BENCH_DIR, 'servers/minimal.mjs')],
    env: childEnv({ PORT: '0', CLIENT_ID: CLIENT.id, CLIENT_SECRET: CLIENT.secret }),
    ready: async (out) => /"ready":true/.test(out),
  });
  p.base = `http://127.0.0.1:${JSON.parse(/\{"ready".*\}/.exec(p.output())[0]).port}`;
  running.add(p);
  return p;
}

async function startOidcProvider() {
  const port = await freePort();
  const p = await startPinned({
    name: 'oidc-provider',
    cores: SERVER_CORE,
    args: [path.join(BENCH_DIR, 'servers/oidc-provider.mjs')],
    env: childEnv({ PORT: String(port), CLIENT_ID: CLIENT.id, CLIENT_SECRET: CLIENT.secret, NODE_ENV: 'production' }),
    ready: async (out) => /"ready":true/.test(out),
  });
  p.base = `http://127.0.0.1:${port}`;
  running.add(p);
  return p;
}

async function startTessera({ cores = SERVER_CORE, nodeArgs = [] } = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const p = await startPinned({
    name: 'tessera',
    cores,
    args: [...nodeArgs, TESSERA_ENTRY],
    env: childEnv({
      NODE_ENV: 'benchmark',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      PUBLIC_URL: base,
      DATABASE_URL: CONFIG.databaseUrl,
      REDIS_URL: CONFIG.redisUrl,
      KEY_ENCRYPTION_KEY: KEK.toString('base64'),
      BOOTSTRAP_CLIENT_ID: BOOTSTRAP.id,
      BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP.secret,
    }),
    ready: async () => (await fetch(`${base}/readyz`)).status === 200,
  });
  p.base = base;
  running.add(p);
  return p;
}

async function stop(p) {
  const rss = rssMb(p.pid);
  await p.stop();
  running.delete(p);
  return rss;
}

/** Runs one scenario against `servers` (their pids for CPU accounting) and logs it. */
async function measure(label, scenario, servers, options = {}) {
  const meter = cpuMeter(servers.map((s) => s.pid));
  const first = servers.some((s) => !s.warmed);
  for (const s of servers) s.warmed = true;
  const warmup = options.warmup ?? (first ? Math.max(CONFIG.warmup, CONFIG.firstWarmup) : CONFIG.warmup);
  const result = await runScenario(scenario, { duration: options.duration ?? CONFIG.duration, warmup });
  result.cpu = meter();
  result.rss = servers.map((s) => rssMb(s.pid));
  const flow = result.flowP50 !== null ? ` flow p50 ${result.flowP50.toFixed(2)} p99 ${result.flowP99.toFixed(2)} ms` : '';
  log(
    `${label.padEnd(14)} ${scenario.name.padEnd(44)} ${result.rps.toFixed(0).padStart(6)}/s  p50 ${result.p50?.toFixed(2)} p99 ${result.p99?.toFixed(2)} ms${flow}` +
      `  cpu srv ${(result.cpu.server * 100).toFixed(0)}% gen ${(result.cpu.generator * 100).toFixed(0)}% db+redis ${(result.cpu.datastore * 100).toFixed(0)}%` +
      (result.bad || result.errors ? `  BAD ${result.bad} ERR ${result.errors} (${result.lastBad ?? ''})` : ''),
  );
  return result;
}

async function argon2Rate() {
  const p = spawnSync('taskset', ['-c', SERVER_CORE, process.execPath, path.join(BENCH_DIR, 'servers/argon2-rate.mjs')], {
    cwd: ROOT,
    env: childEnv({ DURATION: String(CONFIG.duration), WARMUP: String(Math.min(1, CONFIG.warmup)), CONCURRENCY: '4' }),
    encoding: 'utf8',
  });
  if (p.status !== 0) throw new Error(`argon2-rate failed: ${p.stderr}`);
  const result = JSON.parse(p.stdout.trim().split('\n').pop());
  log(`${'argon2id bare'.padEnd(14)} ${'verify, 19 MiB, t=2, p=1, 4 in flight'.padEnd(44)} ${result.rps.toFixed(1).padStart(6)}/s  p50 ${result.p50.toFixed(1)} p99 ${result.p99.toFixed(1)} ms`);
  return result;
}

async function adminToken(base) {
  return new AdminApi(base, BOOTSTRAP).accessToken();
}

// ---------------------------------------------------------------------------------------------
async function main() {
  mkdirSync(CONFIG.artifacts, { recursive: true });
  const report = {
    startedAt: new Date().toISOString(),
    machine: machine(),
    config: { ...CONFIG, parts: [...CONFIG.parts] },
    rounds: [],
    scale: null,
    cluster: null,
    profile: null,
  };
  log(`config: ${CONFIG.rounds} round(s), ${CONFIG.duration} s measured + ${CONFIG.warmup} s warm-up per scenario; parts ${[...CONFIG.parts].join(',')}`);

  // Data: own database and Redis db, API-made tenants and clients, bulk list tenant.
  const adminUrl = Object.assign(new URL(CONFIG.databaseUrl), { pathname: '/postgres' }).toString();
  const database = new URL(CONFIG.databaseUrl).pathname.slice(1);
  await resetDatabase(adminUrl, database);
  await flushRedis(CONFIG.redisUrl);
  let tessera = await startTessera();
  const admin = new AdminApi(tessera.base, BOOTSTRAP);
  const clients = await seedThroughApi(admin);
  await seedListTenant(CONFIG.databaseUrl, KEK, CONFIG.listClients);
  await stop(tessera);
  log(`seeded ${JSON.stringify(await tableCounts(CONFIG.databaseUrl))} in ${database}`);
  const tesseraClient = clients.service;

  if (CONFIG.parts.has('rounds')) {
    for (let round = 1; round <= CONFIG.rounds; round++) {
      log(`round ${round}/${CONFIG.rounds}`);
      const r = { round, results: { minimal: {}, tessera: {}, 'oidc-provider': {} }, tesseraOnly: {}, rss: {} };

      const minimal = await startMinimal();
      for (const c of CONNECTIONS) r.results.minimal[`cc${c}`] = await measure('minimal', S.clientCredentials('minimal', minimal.base, CLIENT, c), [minimal]);
      r.rss.minimal = await stop(minimal);

      r.tesseraOnly.argon2 = await argon2Rate();
      tessera = await startTessera();
      r.rssAtStart = { tessera: rssMb(tessera.pid) };
      const t0 = Date.now();
      const res = r.results.tessera;
      for (const c of CONNECTIONS) res[`cc${c}`] = await measure('tessera', S.clientCredentials('tessera', tessera.base, tesseraClient, c), [tessera]);
      const live = await S.issueToken('tessera', tessera.base, tesseraClient);
      res.introspect = await measure('tessera', S.introspection('tessera', tessera.base, tesseraClient, live, 16), [tessera]);
      res.revoke = await measure('tessera', S.revokeThenIntrospect('tessera', tessera.base, tesseraClient, 16), [tessera]);
      const { challenge } = pkcePair();
      const authorize = `${S.endpoints('tessera', tessera.base).authorize}?${new URLSearchParams({
        response_type: 'code',
        client_id: clients.web.id,
        redirect_uri: REDIRECT,
        scope: 'openid profile api:read',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      })}`;
      const browser = await signIn(tessera.base, authorize, USER);
      const cookie = browser.cookieHeader(authorize);
      r.tesseraOnly.flow = await measure('tessera', S.codeFlow(tessera.base, clients.web, cookie, 16), [tessera]);
      r.tesseraOnly.password = await measure('tessera', S.passwordGrant(tessera.base, clients.legacy, 16), [tessera]);
      const token = await adminToken(tessera.base);
      const { cursors, items } = await S.listCursors(tessera.base, token);
      if (items < CONFIG.listClients) throw new Error(`the list tenant has ${items} clients, expected ${CONFIG.listClients} and its built-in one`);
      r.tesseraOnly.listFirst = await measure('tessera', S.adminList(tessera.base, token, 16), [tessera]);
      r.tesseraOnly.listWalk = await measure('tessera', S.adminList(tessera.base, token, 16, cursors), [tessera]);
      r.tesseraLoadSeconds = (Date.now() - t0) / 1000;
      r.rss.tessera = await stop(tessera);

      const op = await startOidcProvider();
      const opRes = r.results['oidc-provider'];
      for (const c of CONNECTIONS) opRes[`cc${c}`] = await measure('oidc-provider', S.clientCredentials('oidc-provider', op.base, CLIENT, c), [op]);
      const opaque = await S.issueToken('oidc-provider', op.base, CLIENT, true);
      opRes.introspect = await measure('oidc-provider', S.introspection('oidc-provider', op.base, CLIENT, opaque, 16), [op]);
      opRes.revoke = await measure('oidc-provider', S.revokeThenIntrospect('oidc-provider', op.base, CLIENT, 16), [op]);
      r.rss['oidc-provider'] = await stop(op);
      report.rounds.push(r);
      log(`round ${round}: RSS after the run (MB) ${JSON.stringify(Object.fromEntries(Object.entries(r.rss).map(([k, v]) => [k, Math.round(v)])))}, tessera under load ${r.tesseraLoadSeconds.toFixed(0)} s`);
    }
  }

  if (CONFIG.parts.has('scale')) report.scale = await scalePart(tesseraClient);
  if (CONFIG.parts.has('cluster')) report.cluster = await clusterPart(tesseraClient);
  if (CONFIG.parts.has('profile')) {
    report.profile = await profilePart('one-client', (base) => S.clientCredentials('tessera', base, tesseraClient, 16));
    if (report.scale) {
      const { all } = report.scale.pools;
      report.scaleProfile = await profilePart('scale-all', (base) => S.spreadClientCredentials(base, all, 16, `random of all ${all.length} clients`));
    }
  }
  if (report.scale) delete report.scale.pools;

  report.finishedAt = new Date().toISOString();
  report.machine.loadavgAtEnd = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const markdown = renderMarkdown(report);
  writeFileSync(path.join(CONFIG.artifacts, 'results.json'), JSON.stringify(report, null, 2));
  writeFileSync(CONFIG.output, markdown);
  process.stdout.write(`\n${markdown}\n`);
  log(`wrote ${path.relative(ROOT, CONFIG.output)} and ${path.relative(ROOT, path.join(CONFIG.artifacts, 'results.json'))}`);
}

/** 1,000 tenants and 100k clients in the database; fresh process, same c16 client_credentials run. */
async function scalePart(client) {
  log(`scale: inserting ${CONFIG.scaleTenants} tenants × ${CONFIG.scalePerTenant} clients`);
  const t0 = Date.now();
  let tessera = await startTessera();
  const layout = await seedScale(CONFIG.databaseUrl, KEK, tessera.base, CONFIG.scaleTenants, CONFIG.scalePerTenant);
  await stop(tessera);
  const counts = await tableCounts(CONFIG.databaseUrl);
  log(`scale: ${JSON.stringify(counts)} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const all = layout.flatMap((t) => t.clients.map((id) => ({ slug: t.slug, auth: basic(id, bulkSecret(id)) })));
  const hot = layout.map((t) => ({ slug: t.slug, auth: basic(t.clients[0], bulkSecret(t.clients[0])) }));
  const out = { counts, runs: [] };
  for (let round = 1; round <= CONFIG.extraRounds; round++) {
    tessera = await startTessera();
    const runs = {};
    runs.one = await measure('tessera/scale', S.clientCredentials('tessera', tessera.base, client, 16), [tessera]);
    await prewarm(tessera.base, hot);
    runs.hot = await measure('tessera/scale', S.spreadClientCredentials(tessera.base, hot, 16, `1 client in each of ${hot.length} tenants`), [tessera]);
    runs.all = await measure('tessera/scale', S.spreadClientCredentials(tessera.base, all, 16, `random of all ${all.length} clients`), [tessera]);
    runs.rss = await stop(tessera);
    out.runs.push(runs);
  }
  out.hotClients = hot.length;
  out.allClients = all.length;
  out.pools = { hot, all };
  return out;
}

/** One token for each client of `pool` (16 at a time), so that the measured run starts with them seen once. */
async function prewarm(base, pool) {
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < pool.length) {
        const { slug, auth } = pool[next++];
        const res = await fetch(`${base}/t/${slug}/oauth2/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
          body: 'grant_type=client_credentials&scope=api%3Aread',
        });
        if (res.status !== 200) throw new Error(`prewarm ${slug}: ${res.status} ${await res.text()}`);
      }
    }),
  );
}

/**
 * Two processes against one PostgreSQL and Redis. Both cores are then taken by servers, so the
 * generator cannot have a core of its own: it is unpinned in both the one- and the two-process run
 * (identical placement), and the pinned one-process run is repeated for reference. CPU accounting
 * shows what each party used.
 */
async function clusterPart(client) {
  const out = { runs: [] };
  const selfAffinity = (cores) => spawnSync('taskset', ['-a', '-p', '-c', cores, String(process.pid)], { encoding: 'utf8' });
  for (let round = 1; round <= CONFIG.extraRounds; round++) {
    const runs = {};
    let a = await startTessera({ cores: SERVER_CORE });
    runs.onePinned = await measure('1 proc, gen c1', S.clientCredentials('tessera', a.base, client, 16), [a]);
    selfAffinity('0,1');
    runs.oneUnpinned = await measure('1 proc, gen any', S.clientCredentials('tessera', a.base, client, 16), [a]);
    const b = await startTessera({ cores: GENERATOR_CORE });
    const two = S.clientCredentials('tessera', a.base, client, 32);
    two.urls = [S.endpoints('tessera', a.base).token, S.endpoints('tessera', b.base).token];
    two.name = 'client_credentials c16+16 over 2 procs';
    runs.two = await measure('2 procs', two, [a, b]);
    selfAffinity(GENERATOR_CORE);
    runs.rss = [await stop(a), await stop(b)];
    out.runs.push(runs);
  }
  return out;
}

/** `node --cpu-prof` on Tessera during a c16 client_credentials run; only the measured window is summarised. */
async function profilePart(name, makeScenario) {
  const dir = path.join(CONFIG.artifacts, `profile-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tessera = await startTessera({ nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=250'] });
  const scenario = makeScenario(tessera.base);
  await runScenario(scenario, { duration: CONFIG.firstWarmup, warmup: 0 });
  const start = Number(process.hrtime.bigint() / 1000n);
  const result = await measure('tessera/prof', scenario, [tessera], { warmup: 0 });
  const end = Number(process.hrtime.bigint() / 1000n);
  await stop(tessera);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no CPU profile was written');
  const summary = summariseProfile(path.join(dir, file), ROOT, [start, end], 25);
  if (summary.totalMs < 100) {
    log('profile: the measured window is not on the profile clock; summarising the whole profile');
    Object.assign(summary, summariseProfile(path.join(dir, file), ROOT, null, 25));
  }
  summary.file = path.relative(ROOT, path.join(dir, file));
  summary.result = result;
  return summary;
}

function machine() {
  const cpus = os.cpus();
  let pgVersion = null;
  const psql = spawnSync('psql', [CONFIG.databaseUrl.replace(/\/[^/]*$/, '/postgres'), '-Atc', 'show server_version'], { encoding: 'utf8' });
  if (psql.status === 0) pgVersion = psql.stdout.trim();
  const redis = spawnSync('redis-cli', ['-u', CONFIG.redisUrl, 'info', 'server'], { encoding: 'utf8' });
  const redisVersion = /redis_version:(\S+)/.exec(redis.stdout ?? '')?.[1] ?? null;
  let loadavg = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  return {
    cpu: cpus[0]?.model,
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: pgVersion,
    redis: redisVersion,
    autocannon: JSON.parse(readFileSync(path.join(ROOT, 'node_modules/autocannon/package.json'), 'utf8')).version,
    oidcProvider: JSON.parse(readFileSync(path.join(ROOT, 'node_modules/oidc-provider/package.json'), 'utf8')).version,
    loadavgAtStart: loadavg,
  };
}
