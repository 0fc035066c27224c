#!/usr/bin/env node
// `npm run bench`: Tessera against node-oidc-provider and minimal node:http endpoints (the ceilings),
// on loopback, bounded, one server at a time pinned to core 0 and this process (the load generator,
// autocannon) pinned to core 1; then the capacity model's counts, scale, two processes, profiles.
// The benchmark starts its own Redis (and Redis Cluster) and a throwaway PostgreSQL. See
// docs/performance.md for the method.
//
// Environment (all optional):
//   BENCH_QUICK=1            development run: 1 round, 3 s per measurement, 1.5 s of counted operations,
//                            3 s of scale warm-up (about 5 minutes with every part on a quiet machine)
//   BENCH_ROUNDS=3           interleaved rounds of minimal → tessera → oidc-provider
//   BENCH_DURATION=5         seconds measured per scenario;  BENCH_WARMUP=1  seconds of warm-up before each,
//   BENCH_FIRST_WARMUP=3     before the first one of each server process
//   BENCH_PARTS=rounds,capacity,scale,cluster,profile   which parts to run
//   BENCH_SCENARIOS=         only these scenarios (default all): cc1,cc16,cc64,introspect,revoke,flow,
//                            signin,refresh,password,list (rounds); client_credentials,introspection,
//                            introspection_first,revocation,code_flow,refresh,sign_in (capacity)
//   BENCH_SERVERS=           only these servers in the rounds: minimal,tessera,oidc-provider
//   BENCH_EXTRA_ROUNDS=1     rounds of the scale and two-process parts
//   BENCH_SCALE_TENANTS=1000 BENCH_SCALE_CLIENTS=100 (per tenant)  BENCH_SCALE_WARMUP=10 (s of load before measuring)
//   BENCH_LIST_CLIENTS=10000
//   BENCH_CAPACITY_SECONDS=3 about how long each operation is counted (capacity part; the number of
//                            operations is this times the rate of its warm-up)
//   BENCH_CAPACITY_CLUSTER=1 count on a 3-primary Redis Cluster as well (0: single Redis only)
//   BENCH_MIX=introspection=0.4,client_credentials=0.25,refresh=0.2,code_flow=0.08,revocation=0.05,sign_in=0.02
//   BENCH_DATABASE_URL, BENCH_REDIS_URL  external datastores for the rounds, scale and two-process
//                            parts instead of the bench's own (the database is dropped and recreated,
//                            the Redis database flushed!); the capacity part then does not run
//   BENCH_DOCS=auto|1|0      write docs/performance-results.md, the charts and the capacity section of
//                            docs/performance.md: auto = only after a complete run (every part and
//                            scenario, 3+ rounds of 5+ s); results always go to test/artifacts/bench/
//   BENCH_BUILD=auto|always|never   build the server first when its sources are newer than dist
//   BENCH_RENDER=test/artifacts/bench/results.json   measure nothing: write the tables and charts of
//                            an earlier run again (after a change to the report), as BENCH_DOCS says
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseMix } from './lib/capacity-model.mjs';
import { Bench, GENERATOR_CORE, log } from './lib/bench.mjs';
import { BENCH_DIR, ROOT, TESSERA_ENTRY } from './lib/procs.mjs';
import { writeResults } from './lib/outputs.mjs';
import { startPostgres, startRedis, startRedisCluster } from './lib/datastores.mjs';
import { AdminApi, resetExternal, seedListTenant, seedThroughApi, tableCounts } from './lib/seed.mjs';
import { capacityRun } from './parts/capacity.mjs';
import { clusterPart } from './parts/cluster.mjs';
import { profilePart } from './parts/profile.mjs';
import { runRound } from './parts/rounds.mjs';
import { scalePart } from './parts/scale.mjs';
import * as S from './scenarios.mjs';

const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const ALL_PARTS = ['rounds', 'capacity', 'scale', 'cluster', 'profile'];
const list = (value) => (value ? new Set(value.split(',').map((s) => s.trim()).filter(Boolean)) : null);
const CONFIG = {
  rounds: Number(env.BENCH_ROUNDS ?? (QUICK ? 1 : 3)),
  duration: Number(env.BENCH_DURATION ?? (QUICK ? 3 : 5)),
  warmup: Number(env.BENCH_WARMUP ?? 1),
  // The first measurement after a server starts warms up longer (JIT, connection pools, caches).
  firstWarmup: Number(env.BENCH_FIRST_WARMUP ?? 3),
  extraRounds: Number(env.BENCH_EXTRA_ROUNDS ?? 1),
  parts: list(env.BENCH_PARTS) ?? new Set(ALL_PARTS),
  scenarios: list(env.BENCH_SCENARIOS),
  servers: list(env.BENCH_SERVERS),
  scaleTenants: Number(env.BENCH_SCALE_TENANTS ?? 1000),
  scalePerTenant: Number(env.BENCH_SCALE_CLIENTS ?? 100),
  scaleWarmup: Number(env.BENCH_SCALE_WARMUP ?? (QUICK ? 3 : 10)),
  listClients: Number(env.BENCH_LIST_CLIENTS ?? 10_000),
  capacitySeconds: Number(env.BENCH_CAPACITY_SECONDS ?? (QUICK ? 1.5 : 3)),
  capacityCluster: env.BENCH_CAPACITY_CLUSTER !== '0',
  capacityIdleSeconds: QUICK ? 2 : 5,
  mix: parseMix(env.BENCH_MIX),
  external: env.BENCH_DATABASE_URL || env.BENCH_REDIS_URL ? { databaseUrl: env.BENCH_DATABASE_URL, redisUrl: env.BENCH_REDIS_URL } : null,
  docs: env.BENCH_DOCS ?? 'auto',
  artifacts: path.join(ROOT, 'test/artifacts/bench'),
};
CONFIG.partial = CONFIG.scenarios !== null || CONFIG.servers !== null || ALL_PARTS.some((p) => !CONFIG.parts.has(p));

// ---------------------------------------------------------------------------------------------
// Stage 1 (unpinned): check, build if needed, then run stage 2 pinned to the generator's core.
if (env.BENCH_RENDER) {
  const report = JSON.parse(readFileSync(env.BENCH_RENDER, 'utf8'));
  writeResults(report, { ...report.config, docs: CONFIG.docs, artifacts: CONFIG.artifacts });
} else if (env.BENCH_STAGE !== 'pinned') {
  const need = (ok, message) => {
    if (!ok) {
      console.error(`bench: ${message}`);
      process.exit(2);
    }
  };
  need(os.availableParallelism() >= 2, 'needs at least 2 cores (one for the server, one for the load generator)');
  need(spawnSync('taskset', ['-V']).status === 0, 'needs `taskset` (util-linux)');
  need(CONFIG.external?.databaseUrl ? Boolean(CONFIG.external.redisUrl) : !CONFIG.external, 'set both BENCH_DATABASE_URL and BENCH_REDIS_URL, or neither');
  need(CONFIG.external || spawnSync('redis-server', ['--version']).status === 0, 'needs `redis-server` (and redis-cli) on the PATH: it starts its own Redis');
  buildIfNeeded();
  const child = spawn('taskset', ['-c', GENERATOR_CORE, process.execPath, path.join(BENCH_DIR, 'run.mjs')], {
    stdio: 'inherit',
    env: { ...env, BENCH_STAGE: 'pinned' },
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  const started = Date.now();
  const cleanup = [];
  const finish = async (code) => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => finish(130));
  main(started, cleanup)
    .then(() => {
      log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      return finish(0);
    })
    .catch((error) => {
      console.error(error);
      return finish(1);
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

/** The bench's own Redis and PostgreSQL (or the external ones, reset). */
async function datastores(cleanup) {
  if (CONFIG.external) {
    await resetExternal(CONFIG.external.databaseUrl, CONFIG.external.redisUrl);
    return {
      ...CONFIG.external,
      minimalDatabaseUrl: CONFIG.external.databaseUrl,
      pids: null,
      describe: 'external (BENCH_DATABASE_URL, BENCH_REDIS_URL)',
    };
  }
  const redis = await startRedis();
  cleanup.push(() => redis.stop());
  const postgres = await startPostgres({ databases: ['tessera', 'minimal'] });
  cleanup.push(() => postgres.stop());
  return {
    redis,
    postgres,
    database: 'tessera',
    databaseUrl: postgres.url('tessera'),
    minimalDatabaseUrl: postgres.url('minimal'),
    redisUrl: redis.url,
    redisPids: () => [redis.pid],
    pids: () => [...postgres.pids(), redis.pid],
    describe: "the bench's own (a redis-server and a throwaway PostgreSQL with default settings, both started for this run)",
  };
}

async function main(started, cleanup) {
  const stores = await datastores(cleanup);
  const bench = new Bench(CONFIG, stores);
  cleanup.push(() => bench.stopAll());
  const report = {
    startedAt: new Date().toISOString(),
    machine: await machine(stores),
    config: { ...CONFIG, parts: [...CONFIG.parts], scenarios: CONFIG.scenarios && [...CONFIG.scenarios], servers: CONFIG.servers && [...CONFIG.servers] },
    rounds: [],
  };
  log(`config: ${CONFIG.rounds} round(s), ${CONFIG.duration} s measured + ${CONFIG.warmup} s warm-up per scenario; parts ${[...CONFIG.parts].join(',')}` +
    (CONFIG.scenarios ? `; scenarios ${[...CONFIG.scenarios].join(',')}` : '') + (CONFIG.servers ? `; servers ${[...CONFIG.servers].join(',')}` : ''));

  // Data: API-made tenants and clients, the bulk list tenant.
  let tessera = await bench.startTessera();
  const clients = await seedThroughApi(new AdminApi(tessera.base, bench.bootstrap));
  if (bench.wanted('list')) await seedListTenant(stores.databaseUrl, bench.kek, CONFIG.listClients);
  await bench.stop(tessera);
  log(`seeded ${JSON.stringify(await tableCounts(stores.databaseUrl))}`);

  if (CONFIG.parts.has('rounds')) {
    for (let round = 1; round <= CONFIG.rounds; round++) report.rounds.push(await runRound(bench, round, clients, stores.minimalDatabaseUrl));
  }
  if (CONFIG.parts.has('capacity')) {
    if (CONFIG.external) log('capacity: skipped (it counts on its own datastores; unset BENCH_DATABASE_URL and BENCH_REDIS_URL)');
    else report.capacity = await capacity(bench, clients, stores, cleanup);
  }
  if (CONFIG.parts.has('scale')) report.scale = await scalePart(bench, clients.service);
  if (CONFIG.parts.has('cluster')) report.cluster = await clusterPart(bench, clients, report.capacity?.single);
  if (CONFIG.parts.has('profile')) {
    report.profile = await profilePart(bench, 'one-client', (base) => S.clientCredentials('tessera', base, clients.service, 16));
    if (report.scale) {
      const { all } = report.scale.pools;
      report.scaleProfile = await profilePart(bench, 'scale-all', (base) => S.spreadClientCredentials(base, all, 16, `random of all ${all.length} clients`));
    }
  }
  if (report.scale) delete report.scale.pools;

  report.finishedAt = new Date().toISOString();
  report.seconds = (Date.now() - started) / 1000;
  report.machine.loadavgAtEnd = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  writeResults(report, CONFIG);
}

async function capacity(bench, clients, stores, cleanup) {
  const single = await capacityRun(bench, clients, { label: 'redis', url: stores.redisUrl, urls: [stores.redisUrl], pids: stores.redisPids });
  let cluster = null;
  if (CONFIG.capacityCluster) {
    const deployment = await startRedisCluster({ primaries: 3 });
    cleanup.push(() => deployment.stop());
    try {
      cluster = await capacityRun(bench, clients, {
        label: 'cluster',
        url: deployment.url,
        urls: deployment.nodes.map((n) => n.url),
        pids: () => deployment.pids,
      });
      cluster.primaries = deployment.nodes.length;
    } catch (error) {
      // The single-Redis counts stand on their own; the report says the Cluster was not counted.
      log(`capacity: counting on the Redis Cluster failed, going on without it: ${error.message.split('\n')[0]}`);
      cluster = null;
    } finally {
      await deployment.stop();
    }
  }
  return { single, cluster };
}

async function machine(stores) {
  const cpus = os.cpus();
  const version = (pkg) => JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  let postgres = null;
  let redis;
  if (stores.postgres) {
    postgres = await stores.postgres.version();
    redis = (await stores.redis.info('server')).redis_version;
  } else {
    const psql = spawnSync('psql', [stores.databaseUrl, '-Atc', 'show server_version'], { encoding: 'utf8' });
    if (psql.status === 0) postgres = psql.stdout.trim();
    redis = /redis_version:(\S+)/.exec(spawnSync('redis-cli', ['-u', stores.redisUrl, 'info', 'server'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? null;
  }
  return {
    cpu: cpus[0]?.model,
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres,
    redis,
    datastores: stores.describe,
    autocannon: version('autocannon'),
    oidcProvider: version('oidc-provider'),
    loadavgAtStart: os.loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}
