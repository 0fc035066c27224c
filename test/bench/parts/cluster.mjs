// Two processes against one PostgreSQL and Redis. Both cores are then taken by servers, so the
// generator cannot have a core of its own: it is unpinned in both the one- and the two-process run
// (identical placement), and the pinned one-process run is repeated for reference. CPU accounting
// shows what each party used.
//
// Then the check of the capacity model: a mixed load (every operation of the model at once, over
// both processes) whose datastore counters and CPU time are compared with what the per-operation
// costs predict for the operations the run completed.
import { spawnSync } from 'node:child_process';
import { codeFlow, flowFixtures, refreshGrant, signInFlow } from '../flows.mjs';
import { GENERATOR_CORE, log, logResult, SERVER_CORE } from '../lib/bench.mjs';
import { postgresCounter, postgresDelta, redisCounter, redisDelta } from '../lib/counters.mjs';
import { runScenario } from '../lib/load.mjs';
import { cpuMeter, cpuSeconds, settle } from '../lib/procs.mjs';
import * as S from '../scenarios.mjs';

const selfAffinity = (cores) => spawnSync('taskset', ['-a', '-p', '-c', cores, String(process.pid)], { encoding: 'utf8' });

/** The scenario's requests spread over the processes at `bases` (autocannon assigns connections round-robin). */
function over(scenario, bases) {
  const { origin } = new URL(scenario.url);
  return { ...scenario, urls: bases.map((b) => scenario.url.replace(origin, b)) };
}

export async function clusterPart(bench, clients, capacity) {
  const out = { runs: [] };
  for (let round = 1; round <= bench.config.extraRounds; round++) {
    const runs = {};
    const a = await bench.startTessera({ cores: SERVER_CORE });
    runs.onePinned = await bench.measure('1 proc, gen c1', S.clientCredentials('tessera', a.base, clients.service, 16), [a]);
    selfAffinity('0,1');
    try {
      runs.oneUnpinned = await bench.measure('1 proc, gen any', S.clientCredentials('tessera', a.base, clients.service, 16), [a]);
      const b = await bench.startTessera({ cores: GENERATOR_CORE, publicUrl: a.base });
      const two = over(S.clientCredentials('tessera', a.base, clients.service, 32), [a.base, b.base]);
      two.name = 'client_credentials c16+16 over 2 procs';
      runs.two = await bench.measure('2 procs', two, [a, b]);
      if (capacity && round === 1) out.mixed = await mixedRun(bench, clients, capacity, [a, b]);
      runs.rss = [await bench.stop(a), await bench.stop(b)];
    } finally {
      selfAffinity(GENERATOR_CORE);
    }
    out.runs.push(runs);
  }
  return out;
}

/**
 * Connections per operation in the mixed run (even: half on each process), 16 per process in all,
 * as in the counted runs: the processes run busy, where the model's CPU times were measured.
 */
const MIX_CONNECTIONS = { client_credentials: 8, introspection: 8, refresh: 4, code_flow: 4, revocation: 4, sign_in: 4 };
/** Server cores the mixed run can expect to get (two cores, shared with the generator and the datastores). */
const MIXED_CORES = 1.5;

/**
 * How many operations of each kind the mixed run makes: fixed counts, so that no operation is cut off
 * when it ends (its work would be measured but not predicted). Sized so that every connection would
 * be busy for about `seconds` if the connections shared the servers' CPU evenly: a connection's share
 * of CPU over the counted CPU time of one of its operations.
 */
function mixedCounts(keys, capacity, seconds) {
  const connections = keys.reduce((s, k) => s + MIX_CONNECTIONS[k], 0);
  return Object.fromEntries(
    keys.map((k) => {
      const perConnection = (seconds * (MIXED_CORES / connections)) / (capacity.operations[k].tesseraCpuUs / 1e6);
      return [k, Math.max(1, Math.round(perConnection)) * MIX_CONNECTIONS[k]];
    }),
  );
}

async function mixedRun(bench, clients, capacity, servers) {
  const { config, datastores } = bench;
  const [a] = servers;
  const bases = servers.map((s) => s.base);
  const fixtures = await flowFixtures('tessera', a.base, clients);
  await new Promise((r) => setTimeout(r, 1000));
  const live = await S.issueToken('tessera', a.base, clients.service);
  const keys = Object.keys(MIX_CONNECTIONS).filter((k) => capacity.operations[k]);
  const counts = mixedCounts(keys, capacity, config.duration);
  const revocable = await S.issueTokens('tessera', a.base, clients.service, counts.revocation ?? 0);
  const make = {
    client_credentials: (c) => S.clientCredentials('tessera', a.base, clients.service, c),
    introspection: (c) => S.introspection('tessera', a.base, clients.service, live, c),
    refresh: (c) => refreshGrant('tessera', a.base, clients.refresh, fixtures.seedRefresh, c),
    code_flow: (c) => codeFlow('tessera', a.base, clients.web, fixtures.cookie, c),
    revocation: (c) => S.eachToken('tessera', a.base, clients.service, revocable, 'revoke', c),
    sign_in: (c) => signInFlow('tessera', a.base, clients.web, c),
  };
  const scenarios = keys.map((k) => over(make[k](MIX_CONNECTIONS[k]), bases));
  await Promise.all(scenarios.map((s) => runScenario(s, { duration: config.warmup, warmup: 0 })));
  for (const s of scenarios) await s.prepare?.();
  await Promise.all(servers.map((s) => settle(s.pid)));

  const { postgres } = datastores;
  const redis = await redisCounter([datastores.redisUrl], datastores.redisPids);
  const pg = await postgresCounter(postgres.url('postgres'), datastores.database, () => postgres.pids());
  const tesseraCpu = () => servers.reduce((s, p) => s + cpuSeconds(p.pid), 0);
  const meter = cpuMeter(
    servers.map((s) => s.pid),
    datastores.pids,
  );
  const before = { redis: await redis.snapshot(), pg: await pg.snapshot(), tessera: tesseraCpu() };
  const results = await Promise.all(scenarios.map((s, i) => runScenario(s, { operations: counts[keys[i]], warmup: 0, prepared: true })));
  await Promise.all(servers.map((s) => settle(s.pid)));
  const after = { redis: await redis.snapshot(), pg: await pg.snapshot(), tessera: tesseraCpu() };
  const cpu = meter();
  await redis.close();
  await pg.close();

  const completed = Object.fromEntries(keys.map((k, i) => [k, results[i].n]));
  const seconds = cpu.wall;
  keys.forEach((k, i) => logResult('mixed, 2 procs', scenarios[i].name, results[i]));
  const bad = results.reduce((s, r) => s + r.bad + r.errors, 0);
  if (bad) log(`mixed run: ${bad} failed requests`);
  const measured = {
    tesseraCpu: after.tessera - before.tessera,
    redis: redisDelta(before.redis, after.redis),
    pg: postgresDelta(before.pg, after.pg),
  };
  return { completed, seconds, bad, cpu, measured: summariseMeasured(measured, capacity.idle, seconds, servers.length) };
}

/** Totals of the run, less the idle background of the capacity part over as long (per process for Tessera). */
function summariseMeasured({ tesseraCpu, redis, pg }, idle, seconds, processes) {
  const less = (value, perSecond) => Math.max(0, value - (perSecond ?? 0) * seconds);
  return {
    tesseraCpuS: less(tesseraCpu, (processes * idle.tesseraCpuUs) / 1e6),
    redisCommands: less(redis.total, idle.redis.commands),
    redisCpuS: less(redis.cpu, idle.redis.cpuUs / 1e6),
    pgReads: pg.read,
    pgWrites: pg.write,
    pgWriteTransactions: pg.writeTransactions,
    pgWalBytes: less(pg.walBytes, idle.pg.walBytes),
    pgCpuS: less(pg.cpu, idle.pg.cpuUs / 1e6),
  };
}
