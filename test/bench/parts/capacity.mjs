// The capacity model's raw data: for each operation, a fixed number of operations at c16 against one
// Tessera process on the server core, with the datastores' counters read before and after (they
// serve nothing else meanwhile): Tessera's CPU time, the Redis commands and Redis CPU time, the
// PostgreSQL statements (reads, writes, transactions that wrote, WAL) and PostgreSQL CPU time, each
// divided by the number of operations. Run once on the single Redis and once on a Redis Cluster
// (where a multi-key read becomes one command per key, each to its slot's primary).
import { performance } from 'node:perf_hooks';
import { codeFlow, flowFixtures, refreshGrant, signInFlow } from '../flows.mjs';
import { log, logResult } from '../lib/bench.mjs';
import { postgresCounter, postgresDelta, redisCounter, redisDelta } from '../lib/counters.mjs';
import { runScenario } from '../lib/load.mjs';
import { cpuSeconds, settle } from '../lib/procs.mjs';
import * as S from '../scenarios.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The operations of the model; `tokens`: each operation uses up an access token issued before. */
export const OPERATIONS = [
  { key: 'client_credentials', label: 'client_credentials grant' },
  { key: 'introspection', label: 'introspection of a token seen before' },
  { key: 'introspection_first', label: 'introspection of a token not seen before', tokens: true },
  { key: 'revocation', label: 'revocation of an access token', tokens: true },
  { key: 'code_flow', label: 'code flow, remembered session (authorize + token)' },
  { key: 'refresh', label: 'refresh grant (rotation)' },
  { key: 'sign_in', label: 'sign-in with password + code flow' },
];

function scenarioFor(op, base, clients, fixtures, tokens) {
  switch (op.key) {
    case 'client_credentials':
      return S.clientCredentials('tessera', base, clients.service, 16);
    case 'introspection':
      return S.introspection('tessera', base, clients.service, fixtures.live, 16);
    case 'introspection_first':
      return S.eachToken('tessera', base, clients.service, tokens, 'introspect', 16);
    case 'revocation':
      return S.eachToken('tessera', base, clients.service, tokens, 'revoke', 16);
    case 'code_flow':
      return codeFlow('tessera', base, clients.web, fixtures.cookie, 16);
    case 'refresh':
      return refreshGrant('tessera', base, clients.refresh, fixtures.seedRefresh, 16);
    case 'sign_in':
      return signInFlow('tessera', base, clients.web, 16);
    default:
      throw new Error(`unknown operation ${op.key}`);
  }
}

/**
 * On a fresh Redis Cluster, Tessera's first start writes a data-loss sentinel into each of the 16,384
 * slots before it reports ready, which on a busy machine can take longer than its 5 s connect
 * deadline; the next start finds the sentinels written so far.
 */
async function startWithRetry(bench, redis) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await bench.startTessera({ redisUrl: redis.url });
    } catch (error) {
      if (attempt === 3 || !/did not become ready/.test(error.message)) throw error;
      log(`capacity/${redis.label}: Tessera did not connect to Redis in time (attempt ${attempt}); starting it again`);
    }
  }
}

/** Tessera, Redis and PostgreSQL counters together. */
async function counters(bench, tessera, redis) {
  const { postgres } = bench.datastores;
  const r = await redisCounter(redis.urls, redis.pids);
  const p = await postgresCounter(postgres.url('postgres'), bench.datastores.database, () => postgres.pids());
  return {
    async snapshot() {
      return { at: performance.now(), tessera: cpuSeconds(tessera.pid), redis: await r.snapshot(), pg: await p.snapshot() };
    },
    delta(before, after) {
      return {
        seconds: (after.at - before.at) / 1000,
        tesseraCpu: after.tessera - before.tessera,
        redis: redisDelta(before.redis, after.redis),
        pg: postgresDelta(before.pg, after.pg),
      };
    },
    async close() {
      await r.close();
      await p.close();
    },
  };
}

/**
 * A delta less what the processes do anyway over as long (the idle run): redis-server's and
 * PostgreSQL's housekeeping, Tessera's timers. That is a fixed cost per deployment, not per operation.
 */
export function withoutBackground(delta, idle) {
  if (!idle) return delta;
  const f = delta.seconds / idle.seconds;
  const less = (value, background) => Math.max(0, value - background * f);
  const commands = Object.fromEntries(Object.entries(delta.redis.commands).map(([k, v]) => [k, less(v, idle.redis.commands[k] ?? 0)]));
  return {
    ...delta,
    tesseraCpu: less(delta.tesseraCpu, idle.tesseraCpu),
    redis: { commands, total: Object.values(commands).reduce((a, b) => a + b, 0), cpu: less(delta.redis.cpu, idle.redis.cpu) },
    pg: { ...delta.pg, cpu: less(delta.pg.cpu, idle.pg.cpu), walBytes: less(delta.pg.walBytes, idle.pg.walBytes) },
  };
}

/** Per-operation figures from a delta over `n` operations. */
export function perOperation(delta, n) {
  const per = (x) => x / n;
  return {
    tesseraCpuUs: (delta.tesseraCpu / n) * 1e6,
    redis: {
      commands: per(delta.redis.total),
      byCommand: Object.fromEntries(Object.entries(delta.redis.commands).map(([k, v]) => [k, per(v)])),
      cpuUs: (delta.redis.cpu / n) * 1e6,
    },
    pg: {
      reads: per(delta.pg.read),
      writes: per(delta.pg.write),
      transactionControl: per(delta.pg.transaction),
      other: per(delta.pg.other),
      rowsWritten: per(delta.pg.rowsWritten),
      writeTransactions: per(delta.pg.writeTransactions),
      walBytes: per(delta.pg.walBytes),
      cpuUs: (delta.pg.cpu / n) * 1e6,
      statements: delta.pg.statements.map((s) => ({ query: s.query, kind: s.kind, calls: per(s.calls), rows: per(s.rows) })).filter((s) => s.calls >= 0.005),
    },
  };
}

/**
 * One counting run: `redis` is { label, url, urls (every primary), pids() }. Returns the idle
 * background (per second) and, per operation, the figures per operation.
 */
export async function capacityRun(bench, clients, redis) {
  const { config } = bench;
  const tessera = await startWithRetry(bench, redis);
  const counter = await counters(bench, tessera, redis);
  const out = { redis: redis.label, idle: null, operations: {} };
  try {
    // What the process does on its own (timers, the token-issuance flush): a few idle seconds.
    await sleep(1000);
    const idleBefore = await counter.snapshot();
    await sleep(config.capacityIdleSeconds * 1000);
    const idle = counter.delta(idleBefore, await counter.snapshot());
    out.idle = { ...perOperation(idle, idle.seconds), seconds: idle.seconds };
    const background = config.capacityIdleSeconds > 0 ? idle : null;

    const fixtures = await flowFixtures('tessera', tessera.base, clients);
    let first = true;
    for (const op of OPERATIONS) {
      if (!bench.wanted(op.key, null)) continue;
      if (op.key === 'introspection') {
        // Issued at least a second after the start: a token issued in the second the store was
        // first seen empty counts as revoked (the data-loss marker has whole seconds).
        fixtures.live = await S.issueToken('tessera', tessera.base, clients.service);
      }
      // Warm-up on tokens of its own (the counted run gets fresh ones), longer for the first
      // operation of the process (JIT, pools, caches). Its rate sizes the counted run: about
      // BENCH_CAPACITY_SECONDS of work, so that CPU time (in 10 ms ticks) is measured closely.
      const warmTokens = op.tokens ? await S.issueTokens('tessera', tessera.base, clients.service, 500) : null;
      const warmup = first ? Math.max(config.warmup, config.firstWarmup) : config.warmup;
      first = false;
      const warm = await runScenario(scenarioFor(op, tessera.base, clients, fixtures, warmTokens), { duration: warmup, warmup: 0 });
      const count = Math.max(16, Math.round(warm.rps * config.capacitySeconds));
      const tokens = op.tokens ? await S.issueTokens('tessera', tessera.base, clients.service, count) : null;
      const scenario = scenarioFor(op, tessera.base, clients, fixtures, tokens);
      // Seeding (refresh tokens come from code flows) must not count.
      await scenario.prepare?.();
      await settle(tessera.pid);
      const before = await counter.snapshot();
      const result = await runScenario(scenario, { operations: count, warmup: 0, prepared: true });
      // Work a request leaves behind after its answer (none expected) lands before the counters are read.
      await settle(tessera.pid);
      const delta = withoutBackground(counter.delta(before, await counter.snapshot()), background);
      if (result.bad || result.errors) throw new Error(`capacity ${op.key}: ${result.bad} bad answers, ${result.errors} errors (${result.lastBad})`);
      const figures = perOperation(delta, result.n);
      out.operations[op.key] = { label: op.label, n: result.n, seconds: delta.seconds, rps: result.rps, ...figures };
      logResult(`count/${redis.label}`, op.label, result);
      log(
        `${''.padEnd(14)} per op: tessera ${figures.tesseraCpuUs.toFixed(0)} µs CPU; redis ${figures.redis.commands.toFixed(2)} commands ` +
          `(${Object.entries(figures.redis.byCommand).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}), ${figures.redis.cpuUs.toFixed(0)} µs; ` +
          `postgres ${figures.pg.reads.toFixed(2)} reads, ${figures.pg.writes.toFixed(2)} writes, ${figures.pg.writeTransactions.toFixed(2)} write tx, ` +
          `${figures.pg.walBytes.toFixed(0)} WAL bytes, ${figures.pg.cpuUs.toFixed(0)} µs`,
      );
    }
  } finally {
    await counter.close();
    await bench.stop(tessera);
  }
  return out;
}
