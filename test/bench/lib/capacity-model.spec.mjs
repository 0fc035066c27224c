// The arithmetic the benchmark publishes: how counters become per-operation costs, and how costs
// become the sizing table and the model check. (The measurements themselves run in `npm run bench`.)
import { describe, expect, it } from '@jest/globals';
import { withoutBackground } from '../parts/capacity.mjs';
import { checkModel, mixCost, parseMix, postgresCeiling, sizeFor } from './capacity-model.mjs';
import { postgresDelta, redisDelta, statementKind } from './counters.mjs';
import { escapeXml, groupedBarChart } from './svg-chart.mjs';

/** One operation's figures as capacity.mjs reports them. */
const op = ({ tessera = 100, commands = 1, redisCpu = 10, reads = 1, writes = 0, tx = 0, wal = 0, pgCpu = 0 } = {}) => ({
  tesseraCpuUs: tessera,
  redis: { commands, byCommand: {}, cpuUs: redisCpu },
  pg: { reads, writes, writeTransactions: tx, walBytes: wal, cpuUs: pgCpu, statements: [] },
});

describe('statementKind', () => {
  it('tells reads, writes and transaction control apart, data-modifying WITH queries included', () => {
    expect(statementKind('SELECT "id" FROM "clients" WHERE "client_id" = $1')).toBe('read');
    expect(statementKind('  /* typeorm */ select 1')).toBe('read');
    expect(statementKind('INSERT INTO "audit_events"("id") VALUES ($1)')).toBe('write');
    expect(statementKind('UPDATE "consents" SET "last_used_at" = $1')).toBe('write');
    expect(statementKind('WITH moved AS (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM moved')).toBe('write');
    expect(statementKind('WITH x AS (SELECT 1) SELECT * FROM x')).toBe('read');
    expect(statementKind('START TRANSACTION')).toBe('transaction');
    expect(statementKind('COMMIT')).toBe('transaction');
    expect(statementKind('SET LOCAL statement_timeout = 1000')).toBe('other');
  });
});

describe('counter deltas', () => {
  it('counts the Redis commands run between two snapshots, by name', () => {
    const before = { commands: new Map([['get', 10]]), cpu: 1 };
    const after = { commands: new Map([['get', 14], ['mget', 2]]), cpu: 1.5 };
    expect(redisDelta(before, after)).toEqual({ commands: { get: 4, mget: 2 }, total: 6, cpu: 0.5 });
  });

  it('counts PostgreSQL statements by kind and write transactions without the snapshot of its own', () => {
    const row = (id, query, calls, rows = calls) => [id, { id, query, calls, rows, wal: 0 }];
    const before = { statements: new Map([row('1', 'SELECT 1', 5)]), xid: 100, wal: 1000, cpu: 0 };
    const after = {
      statements: new Map([row('1', 'SELECT 1', 9), row('2', 'INSERT INTO t VALUES ($1)', 3), row('3', 'COMMIT', 3, 0)]),
      // 3 transactions wrote, and the second snapshot took an xid of its own.
      xid: 104,
      wal: 5000,
      cpu: 0.2,
    };
    const delta = postgresDelta(before, after);
    expect(delta).toMatchObject({ read: 4, write: 3, transaction: 3, rowsWritten: 3, writeTransactions: 3, walBytes: 4000, cpu: 0.2 });
  });

  it('subtracts what the idle processes do over as long, never below zero', () => {
    const idle = { seconds: 2, tesseraCpu: 0.02, redis: { commands: { ping: 2 }, cpu: 0.01 }, pg: { cpu: 0.04, walBytes: 100 } };
    const delta = {
      seconds: 1,
      tesseraCpu: 1,
      redis: { commands: { get: 10, ping: 0 }, total: 10, cpu: 0.002 },
      pg: { cpu: 0.5, walBytes: 1000, read: 1 },
    };
    const net = withoutBackground(delta, idle);
    expect(net.tesseraCpu).toBeCloseTo(0.99);
    expect(net.redis).toEqual({ commands: { get: 10, ping: 0 }, total: 10, cpu: 0 });
    expect(net.pg).toMatchObject({ cpu: 0.48, walBytes: 950, read: 1 });
  });
});

describe('the capacity model', () => {
  const single = {
    operations: {
      client_credentials: op({ tessera: 140, commands: 0, redisCpu: 0 }),
      introspection: op({ tessera: 100, commands: 1, redisCpu: 10 }),
      refresh: op({ tessera: 300, commands: 0, redisCpu: 0, reads: 4, writes: 3, tx: 1, wal: 700, pgCpu: 200 }),
    },
  };
  const mix = { client_credentials: 0.5, introspection: 0.25, refresh: 0.25 };

  it('weighs each operation by its share of the mix, Redis figures from the Cluster when there is one', () => {
    const cluster = { operations: { introspection: op({ commands: 4, redisCpu: 20 }) } };
    const cost = mixCost(single, cluster, mix);
    expect(cost.tesseraCpuUs).toBeCloseTo(0.5 * 140 + 0.25 * 100 + 0.25 * 300);
    expect(cost.redisCommands).toBeCloseTo(0.25 * 4);
    expect(cost.redisCpuUs).toBeCloseTo(0.25 * 20);
    expect(cost.pgWrites).toBeCloseTo(0.75);
    expect(cost.tesseraShare.refresh).toBeCloseTo(75 / 170);
    expect(mixCost(single, null, { ...mix, sign_in: 0.1 })).toBeNull();
  });

  it('sizes each tier at its utilisation and names PostgreSQL once it needs over half of the largest primary', () => {
    const cost = mixCost(single, null, mix);
    const small = sizeFor(1000, cost);
    expect(small.tesseraCores).toBe(Math.ceil((1000 * 170e-6) / 0.7));
    expect(small.redisPrimaries).toBe(3);
    expect(small.pgWriteTransactionsPerSecond).toBeCloseTo(250);
    expect(small.bottleneck).toMatch(/^Tessera CPU \(44% of it refresh\)/);
    const ceiling = postgresCeiling(cost);
    expect(ceiling).toBeCloseTo((32 * 0.7 * 1e6) / 50);
    expect(sizeFor(ceiling * 0.6, cost).bottleneck).toMatch(/^PostgreSQL primary \(60% of a 32-core primary\)/);
    expect(sizeFor(ceiling * 2, cost).bottleneck).toMatch(/more than one 32-core primary/);
  });

  it('compares its predictions for the two-process runs with what they measured', () => {
    const cluster = {
      runs: [{ two: { rps: 9000, cpu: { server: 1.4 } } }],
      mixed: {
        completed: { client_credentials: 1000, refresh: 100 },
        measured: { tesseraCpuS: 0.2, redisCommands: 0, redisCpuS: 0, pgReads: 400, pgWrites: 300, pgWriteTransactions: 100, pgWalBytes: 70000, pgCpuS: 0.02 },
      },
    };
    const rows = Object.fromEntries(checkModel(single, cluster).map((r) => [r.what, r]));
    expect(rows['client_credentials over 2 processes, tokens/s for the server CPU they used'].predicted).toBeCloseTo(10000);
    expect(rows['client_credentials over 2 processes, tokens/s for the server CPU they used'].error).toBeCloseTo(1000 / 9000);
    expect(rows['mixed load: Tessera CPU seconds'].predicted).toBeCloseTo(0.17);
    expect(rows['mixed load: PostgreSQL writes'].error).toBe(0);
    expect(rows['mixed load: Redis commands'].error).toBeNull();
  });

  it('reads a mix from BENCH_MIX, normalised, and refuses operations it does not know', () => {
    expect(parseMix('introspection=3,refresh=1')).toEqual({ introspection: 0.75, refresh: 0.25 });
    expect(() => parseMix('introspection=1,logout=1')).toThrow(/logout/);
  });
});

describe('groupedBarChart', () => {
  it('scales each group to its own largest bar and escapes every label', () => {
    const svg = groupedBarChart({
      title: 'ops <per> second',
      series: [
        { key: 'a', name: 'A & co', color: '#000' },
        { key: 'b', name: 'B', color: '#111' },
      ],
      groups: [
        { label: 'small', bars: { a: { value: 10, text: '10/s' }, b: { value: 5, text: '5/s' } } },
        { label: 'large', bars: { a: { value: 10_000, text: '10,000/s' } } },
      ],
      width: 700,
      labelWidth: 200,
    });
    expect(svg).toContain('<title>ops &lt;per&gt; second</title>');
    expect(svg).toContain('A &amp; co');
    // Plot width 700 - 200 - 150: each group's largest bar fills it, the half-as-large one half.
    expect(svg.match(/width="350\.0"/g)).toHaveLength(2);
    expect(svg).toContain('width="175.0"');
    expect(escapeXml(`"'`)).toBe('&quot;&apos;');
  });
});
