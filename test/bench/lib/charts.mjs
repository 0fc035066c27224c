// The run's charts, as SVG: ops/s per scenario (minimal, Tessera, node-oidc-provider side by side)
// and where one operation's CPU time goes (Tessera, Redis, PostgreSQL).
import { groupedBarChart, stackedShareChart } from './svg-chart.mjs';
import { median, n0 } from './report-format.mjs';
import { perRound, SCENARIOS } from './report.mjs';

/** Short labels for the scenarios of report.mjs. */
const LABELS = {
  cc1: 'client_credentials c1',
  cc16: 'client_credentials c16',
  cc64: 'client_credentials c64',
  introspect: 'introspection c16',
  revoke: 'token → revoke → introspect c16',
  flow: 'code flow, remembered session c16',
  signin: 'sign-in + code flow c16',
  refresh: 'refresh grant c16',
};

const SERIES = [
  { key: 'minimal', name: 'minimal endpoint (the ceiling)', color: '#9aa5b1' },
  { key: 'tessera', name: 'Tessera', color: '#2f6fde' },
  { key: 'oidc-provider', name: 'node-oidc-provider', color: '#e0823d' },
];

function subtitle(report, what) {
  const { config, machine } = report;
  const short = config.rounds < 3 || config.duration < 5 || config.partial;
  return `${report.startedAt.slice(0, 10)}, ${machine.cpu}, one server core; ${what}${short ? ' (a short run: preliminary)' : ''}`;
}

export function throughputChart(report) {
  const groups = [];
  for (const [key] of SCENARIOS) {
    const bars = {};
    for (const s of SERIES) {
      const m = perRound(report.rounds, s.key, key).median;
      if (m !== null) bars[s.key] = { value: m, text: `${n0(m)}/s` };
    }
    if (Object.keys(bars).length) groups.push({ key, label: LABELS[key], bars });
  }
  // The sign-in's ceiling is the bare argon2id verification rate on the same core.
  const argon = median(report.rounds.map((r) => r.tesseraOnly?.argon2?.rps));
  const signin = groups.find((g) => g.key === 'signin');
  if (argon !== null && signin) signin.bars.minimal = { value: argon, text: `${argon.toFixed(0)}/s (bare argon2id)` };
  if (groups.length === 0) return null;
  return groupedBarChart({
    title: 'Operations per second, one server core',
    subtitle: subtitle(report, `median of ${report.config.rounds} round(s) of ${report.config.duration} s`),
    series: SERIES,
    groups,
    labelWidth: 260,
    width: 900,
    note: 'Bars are scaled per scenario (the longest bar of each group is its best server). Sign-in: the ceiling is the bare argon2id verification rate.',
  });
}

export function costChart(report) {
  const ops = report.capacity?.single?.operations;
  if (!ops) return null;
  const cluster = report.capacity.cluster?.operations ?? {};
  const rows = Object.entries(ops).map(([key, op]) => {
    const redis = (cluster[key] ?? op).redis.cpuUs;
    const total = op.tesseraCpuUs + redis + op.pg.cpuUs;
    return { label: op.label, parts: { tessera: op.tesseraCpuUs, redis, pg: op.pg.cpuUs }, text: `${n0(total)} µs` };
  });
  return stackedShareChart({
    title: 'Where the CPU time of one operation goes',
    subtitle: subtitle(report, 'counted over a fixed number of operations at c16'),
    series: [
      { key: 'tessera', name: 'Tessera', color: '#2f6fde' },
      { key: 'redis', name: `Redis${report.capacity.cluster ? ' (Cluster)' : ''}`, color: '#d64545' },
      { key: 'pg', name: 'PostgreSQL', color: '#3d9970' },
    ],
    rows,
    labelWidth: 340,
    width: 1000,
    note: 'Shares of the CPU time per operation; the total (all three) beside each bar.',
  });
}
