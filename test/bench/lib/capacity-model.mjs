// The capacity model: from what one operation of each kind was measured to cost (Tessera CPU time,
// Redis commands and CPU time, PostgreSQL statements, write transactions, WAL and CPU time), what a
// given rate of a stated mix of operations needs. Linear by construction: every cost is per
// operation, so a rate R of the mix costs R × Σ share_i × cost_i of each resource; the checks against
// the two-process run say how far that holds.

/** The stated mix: shares of the operations in the traffic (sum 1). Override with BENCH_MIX. */
export const DEFAULT_MIX = {
  introspection: 0.4,
  client_credentials: 0.25,
  refresh: 0.2,
  code_flow: 0.08,
  revocation: 0.05,
  sign_in: 0.02,
};

/**
 * How busy each tier may run at the stated rate: Tessera processes at 70% of their cores (room for
 * bursts, GC and a lost process), a Redis primary (one thread) at 50% (room for a failover, resharding
 * and hot slots), the PostgreSQL primary at 70%.
 */
export const UTILISATION = { tessera: 0.7, redis: 0.5, postgres: 0.7 };
/** A Redis Cluster has at least 3 primaries. */
export const MIN_REDIS_PRIMARIES = 3;
/** The largest PostgreSQL primary assumed available (cores); writes cannot be spread beyond one primary. */
export const PG_PRIMARY_CORES = 32;
export const LEVELS = [1_000, 10_000, 100_000];

/** BENCH_MIX="introspection=0.4,client_credentials=0.25,..." → shares normalised to 1. */
export function parseMix(text) {
  if (!text) return DEFAULT_MIX;
  const entries = text.split(',').map((part) => {
    const [key, value] = part.split('=').map((s) => s.trim());
    if (!(key in DEFAULT_MIX) || !(Number(value) >= 0)) throw new Error(`BENCH_MIX: bad entry ${part} (operations: ${Object.keys(DEFAULT_MIX).join(', ')})`);
    return [key, Number(value)];
  });
  const total = entries.reduce((s, [, v]) => s + v, 0);
  return Object.fromEntries(entries.map(([k, v]) => [k, v / total]));
}

/**
 * The cost of one operation of the mix. Redis figures come from the Cluster run when there is one
 * (a Cluster turns a multi-key read into one command per key), everything else from the single-Redis
 * run. Returns null when an operation of the mix was not measured.
 */
export function mixCost(single, cluster, mix) {
  const cost = { tesseraCpuUs: 0, redisCommands: 0, redisCpuUs: 0, pgReads: 0, pgWrites: 0, pgWriteTransactions: 0, pgWalBytes: 0, pgCpuUs: 0 };
  const tesseraShare = {};
  for (const [key, share] of Object.entries(mix)) {
    const op = single?.operations?.[key];
    if (!op) return null;
    const redisOp = cluster?.operations?.[key] ?? op;
    cost.tesseraCpuUs += share * op.tesseraCpuUs;
    cost.redisCommands += share * redisOp.redis.commands;
    cost.redisCpuUs += share * redisOp.redis.cpuUs;
    cost.pgReads += share * op.pg.reads;
    cost.pgWrites += share * op.pg.writes;
    cost.pgWriteTransactions += share * op.pg.writeTransactions;
    cost.pgWalBytes += share * op.pg.walBytes;
    cost.pgCpuUs += share * op.pg.cpuUs;
    tesseraShare[key] = share * op.tesseraCpuUs;
  }
  for (const key of Object.keys(tesseraShare)) tesseraShare[key] /= cost.tesseraCpuUs;
  return { ...cost, tesseraShare, redisFrom: cluster ? 'cluster' : 'single' };
}

/**
 * The sizing of one rate (operations/s of the mix):
 *   Tessera cores   = ⌈R × tesseraCpu / 0.7⌉
 *   Redis primaries = max(3, ⌈R × redisCpu / 0.5⌉)      (one core each: Redis runs commands on one thread)
 *   PostgreSQL      = R × statements, write transactions, WAL bytes; cores = R × pgCpu / 0.7
 * The first bottleneck: the PostgreSQL primary once it needs more than half of the largest primary
 * (it is the one tier that cannot be spread over more machines); before that, Tessera's CPU (it needs
 * the most cores, and grows by adding processes).
 */
export function sizeFor(rate, cost) {
  const tesseraCores = (rate * cost.tesseraCpuUs) / 1e6;
  const redisCores = (rate * cost.redisCpuUs) / 1e6;
  const pgCores = (rate * cost.pgCpuUs) / 1e6;
  const pgShare = pgCores / UTILISATION.postgres / PG_PRIMARY_CORES;
  const [topOp, topShare] = Object.entries(cost.tesseraShare).sort((a, b) => b[1] - a[1])[0];
  let bottleneck;
  if (pgShare > 1) bottleneck = `PostgreSQL primary: more than one ${PG_PRIMARY_CORES}-core primary`;
  else if (pgShare > 0.5) bottleneck = `PostgreSQL primary (${Math.round(pgShare * 100)}% of a ${PG_PRIMARY_CORES}-core primary)`;
  else bottleneck = `Tessera CPU (${Math.round(topShare * 100)}% of it ${topOp.replace('_', ' ')}); add processes`;
  return {
    rate,
    tesseraCores: Math.max(1, Math.ceil(tesseraCores / UTILISATION.tessera)),
    tesseraBusyCores: tesseraCores,
    redisCommandsPerSecond: rate * cost.redisCommands,
    redisCores,
    redisPrimaries: Math.max(MIN_REDIS_PRIMARIES, Math.ceil(redisCores / UTILISATION.redis)),
    pgReadsPerSecond: rate * cost.pgReads,
    pgWritesPerSecond: rate * cost.pgWrites,
    pgWriteTransactionsPerSecond: rate * cost.pgWriteTransactions,
    pgWalMBPerSecond: (rate * cost.pgWalBytes) / 1e6,
    pgCores: Math.max(1, Math.ceil(pgCores / UTILISATION.postgres)),
    pgBusyCores: pgCores,
    pgShare,
    bottleneck,
  };
}

/** The rate of the mix at which the PostgreSQL primary reaches its utilisation on PG_PRIMARY_CORES cores. */
export function postgresCeiling(cost) {
  return cost.pgCpuUs > 0 ? (PG_PRIMARY_CORES * UTILISATION.postgres * 1e6) / cost.pgCpuUs : Infinity;
}

/**
 * The model's predictions for the two-process runs, against what they measured:
 * - client_credentials over two processes: the tokens/s the server CPU they got buys at the counted
 *   CPU time per token;
 * - the mixed run: for the operations it completed, Tessera CPU, Redis commands and CPU, PostgreSQL
 *   statements, write transactions, WAL and CPU.
 */
export function checkModel(single, cluster) {
  const rows = [];
  const cc = single?.operations?.client_credentials;
  const two = cluster?.runs?.[0]?.two;
  if (cc && two) {
    const predicted = two.cpu.server / (cc.tesseraCpuUs / 1e6);
    rows.push({ what: 'client_credentials over 2 processes, tokens/s for the server CPU they used', predicted, measured: two.rps });
  }
  const mixed = cluster?.mixed;
  if (mixed && single) {
    const sum = (f) => Object.entries(mixed.completed).reduce((s, [k, n]) => s + n * f(single.operations[k]), 0);
    const m = mixed.measured;
    rows.push(
      { what: 'mixed load: Tessera CPU seconds', predicted: sum((o) => o.tesseraCpuUs / 1e6), measured: m.tesseraCpuS },
      { what: 'mixed load: Redis commands', predicted: sum((o) => o.redis.commands), measured: m.redisCommands },
      { what: 'mixed load: Redis CPU seconds', predicted: sum((o) => o.redis.cpuUs / 1e6), measured: m.redisCpuS },
      { what: 'mixed load: PostgreSQL reads', predicted: sum((o) => o.pg.reads), measured: m.pgReads },
      { what: 'mixed load: PostgreSQL writes', predicted: sum((o) => o.pg.writes), measured: m.pgWrites },
      { what: 'mixed load: PostgreSQL write transactions', predicted: sum((o) => o.pg.writeTransactions), measured: m.pgWriteTransactions },
      { what: 'mixed load: WAL MB', predicted: sum((o) => o.pg.walBytes) / 1e6, measured: m.pgWalBytes / 1e6 },
      { what: 'mixed load: PostgreSQL CPU seconds', predicted: sum((o) => o.pg.cpuUs / 1e6), measured: m.pgCpuS },
    );
  }
  return rows.map((r) => ({ ...r, error: r.measured ? (r.predicted - r.measured) / r.measured : null }));
}
