// Where a run's results go: always test/artifacts/bench/ (results.json, results.md, the charts);
// docs/ (performance-results.md, the charts, the capacity section of performance.md) only after a
// complete run, so that a short or partial development run never replaces the published figures.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { log } from './bench.mjs';
import { costChart, throughputChart } from './charts.mjs';
import { ROOT } from './procs.mjs';
import { renderCapacity } from './report-capacity.mjs';
import { renderMarkdown } from './report.mjs';

const DOCS = path.join(ROOT, 'docs');
const BEGIN = '<!-- capacity:begin (written by `npm run bench`) -->';
const END = '<!-- capacity:end -->';

/** Whether this run may replace the published figures (BENCH_DOCS=auto|1|0). */
export function publishes(config) {
  if (config.docs === '1') return true;
  if (config.docs === '0') return false;
  return !config.partial && config.rounds >= 3 && config.duration >= 5 && !config.external;
}

/** Replaces the capacity section of docs/performance.md (between its markers, under its own heading) with `lines`. */
export function updateCapacitySection(file, lines) {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${path.relative(ROOT, file)} has no ${BEGIN} … ${END} section`);
  writeFileSync(file, `${text.slice(0, start + BEGIN.length)}\n${lines.join('\n')}\n${text.slice(end)}`);
}

export function writeResults(report, config) {
  const markdown = renderMarkdown(report);
  const charts = { 'performance-chart.svg': throughputChart(report), 'performance-cost-chart.svg': costChart(report) };
  const dirs = [config.artifacts, ...(publishes(config) ? [DOCS] : [])];
  mkdirSync(config.artifacts, { recursive: true });
  writeFileSync(path.join(config.artifacts, 'results.json'), JSON.stringify(report, null, 2));
  for (const dir of dirs) {
    writeFileSync(path.join(dir, dir === DOCS ? 'performance-results.md' : 'results.md'), markdown);
    for (const [name, svg] of Object.entries(charts)) {
      if (svg) writeFileSync(path.join(dir, name), svg);
      // A chart this run has no data for: never leave an older run's beside these results.
      else if (dir !== DOCS) rmSync(path.join(dir, name), { force: true });
    }
  }
  if (publishes(config) && report.capacity) updateCapacitySection(path.join(DOCS, 'performance.md'), renderCapacity(report, { detail: false }).slice(2));
  process.stdout.write(`\n${markdown}\n`);
  log(`wrote ${dirs.map((d) => path.relative(ROOT, d)).join(' and ')}${publishes(config) ? '' : ' (docs/ only after a complete run, or with BENCH_DOCS=1)'}`);
}
