/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), for the tests: every
 * line must be a comment, a HELP or TYPE line, or a well-formed sample of a family declared by a
 * TYPE line before it; a family's samples are contiguous, and no series appears twice. Any
 * deviation throws, naming the line.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help?: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<MetricFamily['type'], string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const series = new Set<string>();
  const closed = new Set<string>();
  let current: MetricFamily | undefined;
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new Error('the exposition must end with a line feed');
  lines.pop();
  lines.forEach((line, index) => {
    const fail = (why: string): never => {
      throw new Error(`line ${index + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!match) return; // a plain comment
      const [, keyword, name, rest] = match as unknown as [string, 'HELP' | 'TYPE', string, string];
      if (!METRIC_NAME.test(name)) fail('bad metric name');
      let family = families.get(name);
      if (family === undefined) {
        if (keyword === 'HELP') return void families.set(name, { name, type: 'untyped', help: rest, samples: [] });
        if (!TYPES.has(rest)) fail('unknown type');
        family = { name, type: rest as MetricFamily['type'], samples: [] };
        families.set(name, family);
      } else if (keyword === 'TYPE') {
        if (family.samples.length > 0 || family.type !== 'untyped') fail('TYPE after samples or twice');
        if (!TYPES.has(rest)) fail('unknown type');
        family.type = rest as MetricFamily['type'];
      } else {
        if (family.help !== undefined) fail('HELP twice');
        family.help = rest;
      }
      if (current !== undefined && current !== family) closed.add(current.name);
      current = family;
      return;
    }
    const sample = parseSample(line, fail);
    const family = familyOf(sample.name, families) ?? fail('sample of an undeclared family');
    if (closed.has(family.name)) fail('samples of a family are not contiguous');
    if (current !== undefined && current !== family) closed.add(current.name);
    current = family;
    if (family.type === 'histogram' && sample.name.endsWith('_bucket') && sample.labels['le'] === undefined) fail('bucket without le');
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (series.has(key)) fail('duplicate series');
    series.add(key);
    family.samples.push(sample);
  });
  return families;
}

function familyOf(sampleName: string, families: Map<string, MetricFamily>): MetricFamily | undefined {
  for (const [name, family] of families) {
    if (SUFFIXES[family.type].some((suffix) => `${name}${suffix}` === sampleName)) return family;
  }
  return undefined;
}

function parseSample(line: string, fail: (why: string) => never): Sample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line) ?? fail('no metric name');
  const name = nameMatch[0];
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    while (!rest.startsWith('}')) {
      const m = /^([^=]+)="((?:[^"\\\n]|\\[\\"n])*)"(,?)/.exec(rest) ?? fail('malformed label');
      const [whole, labelName, raw, comma] = m as unknown as [string, string, string, string];
      if (!LABEL_NAME.test(labelName)) fail('bad label name');
      if (labelName in labels) fail('label twice');
      labels[labelName] = raw.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.slice(whole.length);
      if (comma === '' && !rest.startsWith('}')) fail('labels must be separated by commas');
    }
    rest = rest.slice(1);
  }
  const valueMatch = /^ (\S+)(?: (-?\d+))?$/.exec(rest) ?? fail('malformed value');
  const raw = valueMatch[1]!;
  const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : raw === 'NaN' ? NaN : Number(raw);
  if (Number.isNaN(value) && raw !== 'NaN') fail('value is not a number');
  return { name, labels, value };
}

/** The sum of the samples named `name` whose labels include `labels` (0 when there is none). */
export function sampleValue(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number {
  const matches = [...families.values()]
    .flatMap((family) => family.samples)
    .filter((sample) => sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v));
  return matches.reduce((sum, sample) => sum + sample.value, 0);
}
