// The capacity model in markdown: what each operation costs (counted), the sizing table for the
// stated mix, and the check against the two-process run. The same text goes into
// docs/performance-results.md (with every statement) and into docs/performance.md.
import { checkModel, LEVELS, mixCost, MIN_REDIS_PRIMARIES, PG_PRIMARY_CORES, postgresCeiling, sizeFor, UTILISATION } from './capacity-model.mjs';
import { count, n0, n1, pct } from './report-format.mjs';

const signed = (x) => (x === null ? '–' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);
const commandList = (byCommand) =>
  Object.entries(byCommand)
    .sort((a, b) => b[1] - a[1])
    .filter(([, v]) => v >= 0.005)
    .map(([k, v]) => `${k.toUpperCase()} ${count(v)}`)
    .join(', ') || '–';

function costTable(single, cluster, push) {
  push(
    '| Operation | counted | Tessera CPU µs | Redis commands | on a Cluster | Redis CPU µs (Cluster) | PG reads | PG writes | PG write transactions | rows written | WAL bytes | PG CPU µs |',
    '|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const [key, op] of Object.entries(single.operations)) {
    const c = cluster?.operations?.[key];
    push(
      `| ${op.label} | ${n0(op.n)} | ${n0(op.tesseraCpuUs)} | ${count(op.redis.commands)} (${commandList(op.redis.byCommand)}) | ` +
        `${c ? `${count(c.redis.commands)} (${commandList(c.redis.byCommand)})` : '–'} | ${n0(op.redis.cpuUs)}${c ? ` (${n0(c.redis.cpuUs)})` : ''} | ` +
        `${count(op.pg.reads)} | ${count(op.pg.writes)} | ${count(op.pg.writeTransactions)} | ${count(op.pg.rowsWritten)} | ${n0(op.pg.walBytes)} | ${n0(op.pg.cpuUs)} |`,
    );
  }
  push('');
}

function statementTables(single, push) {
  push('### PostgreSQL statements per operation', '', 'From pg_stat_statements (top-level statements of Tessera\'s database, calls per operation ≥ 0.005).', '');
  for (const op of Object.values(single.operations)) {
    if (op.pg.statements.length === 0) continue;
    push(`**${op.label}**`, '', '| calls / op | rows / op | kind | statement |', '|---:|---:|---|---|');
    for (const s of op.pg.statements) {
      const text = s.query.length > 160 ? `${s.query.slice(0, 157)}...` : s.query;
      push(`| ${count(s.calls)} | ${count(s.rows)} | ${s.kind} | \`${text.replace(/\|/g, '\\|').replace(/`/g, "'")}\` |`);
    }
    push('');
  }
}

function sizing(report, push) {
  const { capacity, cluster } = report;
  const mix = report.config.mix;
  const cost = mixCost(capacity.single, capacity.cluster, mix);
  if (!cost) {
    push('The sizing needs every operation of the mix counted; this run counted only some (BENCH_SCENARIOS).', '');
    return;
  }
  push('### Sizing', '');
  push(
    `The stated mix (shares of the operations; \`BENCH_MIX\` to change it): ` +
      Object.entries(mix)
        .map(([k, v]) => `${k.replace('_', ' ')} ${pct(v)}`)
        .join(', ') +
      '. "code flow" is a whole flow with a remembered session (authorize and token requests); "sign in" a whole flow with a password sign-in.',
    '',
    `One operation of the mix costs ${n0(cost.tesseraCpuUs)} µs of Tessera CPU (by operation: ` +
      Object.entries(cost.tesseraShare)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k.replace('_', ' ')} ${pct(v)}`)
        .join(', ') +
      `), ${count(cost.redisCommands)} Redis commands and ${n1(cost.redisCpuUs)} µs of Redis CPU (${cost.redisFrom === 'cluster' ? 'on a Redis Cluster' : 'on one Redis'}), ` +
      `${count(cost.pgReads)} PostgreSQL reads, ${count(cost.pgWrites)} writes in ${count(cost.pgWriteTransactions)} write transactions, ${n0(cost.pgWalBytes)} bytes of WAL and ${n1(cost.pgCpuUs)} µs of PostgreSQL CPU.`,
    '',
    `For a rate R (operations/s of the mix): Tessera cores = ⌈R × Tessera CPU / ${UTILISATION.tessera}⌉ (processes at ${pct(UTILISATION.tessera)} busy); ` +
      `Redis Cluster primaries = max(${MIN_REDIS_PRIMARIES}, ⌈R × Redis CPU / ${UTILISATION.redis}⌉) (a primary runs commands on one thread, kept ${pct(UTILISATION.redis)} busy for failovers, resharding and hot slots); ` +
      `PostgreSQL = R × reads, writes, write transactions and WAL, on ⌈R × PostgreSQL CPU / ${UTILISATION.postgres}⌉ cores of one primary. ` +
      `CPU times are this machine's (see the top of the page); scale them by the speed of yours.`,
    '',
  );
  push(
    '| operations/s | Tessera cores | Redis commands/s | Redis Cluster primaries | PostgreSQL reads/s | writes/s | write transactions/s | WAL MB/s | PostgreSQL cores | first bottleneck |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const rate of LEVELS) {
    const s = sizeFor(rate, cost);
    push(
      `| ${n0(rate)} | ${s.tesseraCores} | ${n0(s.redisCommandsPerSecond)} | ${s.redisPrimaries} | ${n0(s.pgReadsPerSecond)} | ${n0(s.pgWritesPerSecond)} | ` +
        `${n0(s.pgWriteTransactionsPerSecond)} | ${n1(s.pgWalMBPerSecond)} | ${s.pgCores} | ${s.bottleneck} |`,
    );
  }
  const ceiling = postgresCeiling(cost);
  push(
    '',
    `Tessera and Redis grow by adding processes and primaries; PostgreSQL takes every write on one primary. At this mix a ${PG_PRIMARY_CORES}-core ` +
      `primary at ${pct(UTILISATION.postgres)} busy carries about ${n0(ceiling)} operations/s: beyond that, writes per operation must fall ` +
      '(or move off PostgreSQL) before more Tessera processes help.',
    '',
  );

  const checks = checkModel(capacity.single, cluster);
  if (checks.length) {
    push('### Check against the two-process run', '');
    push(
      'The model applied to what the two-process part did: tokens/s for the server CPU the two processes got, and, for a mixed load over both ' +
        'processes (every operation of the model at once, a fixed number of each so that none is cut off, sized to keep every connection busy for about ' +
        'the duration of a scenario), the CPU time and datastore work it predicts against what was counted.',
      '',
      '| What | predicted | measured | model error |',
      '|---|---:|---:|---:|',
    );
    for (const c of checks) push(`| ${c.what} | ${count(c.predicted)} | ${count(c.measured)} | ${signed(c.error)} |`);
    if (cluster?.mixed) {
      const m = cluster.mixed;
      push(
        '',
        `Mixed run: ${Object.entries(m.completed)
          .map(([k, n]) => `${n0(n)} ${k.replace('_', ' ')}`)
          .join(', ')} in ${n1(m.seconds)} s (${n0(Object.values(m.completed).reduce((s, n) => s + n, 0) / m.seconds)} operations/s)` +
          `${m.bad ? `, ${m.bad} failed requests` : ''}; CPU server / generator / datastores ${pct(m.cpu.server)} / ${pct(m.cpu.generator)} / ${pct(m.cpu.datastore)}.`,
      );
    }
    push('');
  }
}

/** The capacity sections; `detail` adds every counted statement and the idle background. */
export function renderCapacity(report, { detail }) {
  const lines = [];
  const push = (...l) => lines.push(...l);
  const { single, cluster } = report.capacity;
  push('## Capacity model', '');
  const { config, machine } = report;
  const short = config.rounds < 3 || config.duration < 5 || config.partial || config.capacitySeconds < 3;
  const busy = Number(machine.loadavgAtStart.split(' ')[0]) > 1.5;
  push(
    `From the run of ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${machine.cpu}, ${machine.cores} cores, load average ${machine.loadavgAtStart.split(' ')[0]} at the start` +
      `, each operation counted for about ${config.capacitySeconds ?? 3} s.` +
      (short || busy ? ` **Preliminary: ${[short && 'a short run', busy && 'a busy machine'].filter(Boolean).join(' on ')}; the CPU times especially are noisy.**` : ''),
    '',
  );
  // docs/performance.md explains the method in its own words; the results page says it here.
  if (detail) {
    push(
      'Counted by the benchmark, not estimated: for each operation, a fixed number of operations (the "counted" column: about ' +
        `${config.capacitySeconds ?? 3} s worth at the rate of its warm-up) at c16 against one Tessera process ` +
        '(pinned, as in the rounds) after a warm-up, with the counters of the datastores, which serve nothing else meanwhile, ' +
        'read before and after: Redis `INFO commandstats` (a command a Lua script runs is counted too, under its own name), PostgreSQL `pg_stat_statements` ' +
        '(top-level statements of Tessera\'s database; BEGIN and COMMIT are not counted as reads or writes), transaction ids handed out (one per transaction that wrote), ' +
        'the WAL position, and the CPU time of the Tessera, redis-server and PostgreSQL processes; less what the idle processes do over as long (measured first), ' +
        'divided by the number of operations. ' +
        `Once on a single Redis and once on a Redis Cluster of ${cluster ? cluster.primaries : 3} primaries, where a multi-key read becomes one command per key${cluster ? '' : ' (not run this time)'}.`,
      '',
    );
  } else if (!cluster) {
    push('The Redis Cluster was not counted in this run: Redis figures are those of one Redis.', '');
  }
  push('![Where the CPU time of one operation goes](performance-cost-chart.svg)', '');
  costTable(single, cluster, push);
  if (detail && single.idle) {
    const i = single.idle;
    push(
      `Idle, per second of one process (timers, the token-issuance flush), measured over ${n1(i.seconds)} s: Tessera ${n0(i.tesseraCpuUs)} µs CPU, ` +
        `${count(i.redis.commands)} Redis commands (${commandList(i.redis.byCommand)}), ${count(i.pg.reads)} PostgreSQL reads and ${count(i.pg.writes)} writes.`,
      '',
    );
  }
  sizing(report, push);
  if (detail) statementTables(single, push);
  return lines;
}
