// The load generator: autocannon, in this process (which run.mjs pins to its own core). Latencies are
// collected from every response with sub-millisecond precision (autocannon's own histogram keeps
// whole milliseconds and only 2xx answers). Multi-step scenarios (authorize → token, token → revoke
// → introspect, page → next page) are autocannon request sequences: each connection loops over the
// steps, carrying state from one response to the next request in autocannon's per-connection context.
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';

export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function header(headers, name) {
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === name) return v;
  return undefined;
}

function cannon(opts, onResponse) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ timeout: 10, ...opts }, (err, result) => (err ? reject(err) : resolve(result)));
    if (onResponse) instance.on('response', onResponse);
  });
}

/**
 * Runs one scenario: `warmup` seconds whose results are dropped, then `duration` seconds measured,
 * or, with `operations`, exactly that many operations (rounded up to a multiple of the connections:
 * autocannon shares a request count evenly between them, so each connection makes whole passes).
 * scenario: { url | urls, connections, method?, headers?, body?, steps?: [{ setupRequest?, check? }],
 *             ok?(status, body, headers, context), prepare?() } — `steps` makes a sequence; one pass
 * over all steps is one operation (a flow, a cycle). `prepare` runs before the warm-up and before
 * the measured run (fresh state for scenarios that use up what they are given), unless `prepared`
 * says the caller did it already.
 * Returns { rps, p50, p99, flowP50, flowP99, n, bad, errors }.
 */
export async function runScenario(scenario, { duration, warmup, operations, prepared = false }) {
  const stats = { bad: 0, ops: 0, flowLat: [], lastBad: null };
  const steps = scenario.steps ?? [{ check: scenario.ok }];
  const requests = steps.map((step, i) => {
    const request = {};
    // autocannon merges these over its defaults: an explicit undefined would erase a default.
    for (const key of ['method', 'path', 'headers', 'body']) if (step[key] !== undefined) request[key] = step[key];
    if (steps.length > 1 || step.setupRequest) {
      request.setupRequest = (req, context) => {
        if (i === 0) context.t0 = performance.now();
        return step.setupRequest ? step.setupRequest(req, context) : req;
      };
    }
    request.onResponse = (status, body, context, headers) => {
      const check = step.check ?? ((s) => s === 200);
      let good;
      try {
        good = check(status, body, headers, context, header) !== false;
      } catch {
        good = false;
      }
      if (!good) {
        stats.bad++;
        stats.lastBad = `${status} ${String(body).slice(0, 300)}`;
        context.broken = true;
      }
      if (i === steps.length - 1 && !context.broken) {
        stats.ops++;
        if (steps.length > 1) stats.flowLat.push(performance.now() - context.t0);
      }
    };
    return request;
  });
  const base = { url: scenario.urls ?? scenario.url, connections: scenario.connections, method: scenario.method ?? 'POST', requests };
  if (scenario.headers !== undefined) base.headers = scenario.headers;
  if (scenario.body !== undefined) base.body = scenario.body;
  if (warmup > 0) {
    await scenario.prepare?.();
    await cannon({ ...base, duration: warmup });
    if (stats.bad > 0 && stats.ops === 0) throw new Error(`${scenario.name}: every warm-up request failed; last: ${stats.lastBad}`);
  }
  stats.bad = 0;
  stats.ops = 0;
  stats.flowLat = [];
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  if (!prepared) await scenario.prepare?.();
  const limit = operations ? { amount: Math.ceil(operations / scenario.connections) * scenario.connections * steps.length } : { duration };
  const result = await cannon({ ...base, ...limit }, (_client, _status, _bytes, rt) => {
    if (count === latencies.length) {
      const bigger = new Float64Array(latencies.length * 2);
      bigger.set(latencies);
      latencies = bigger;
    }
    latencies[count++] = rt;
  });
  const sorted = latencies.subarray(0, count).sort();
  const flows = Float64Array.from(stats.flowLat).sort();
  const seconds = result.duration;
  return {
    rps: stats.ops / seconds,
    requestsPerSecond: count / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    flowP50: steps.length > 1 ? percentile(flows, 50) : null,
    flowP99: steps.length > 1 ? percentile(flows, 99) : null,
    n: stats.ops,
    bad: stats.bad,
    errors: result.errors + result.timeouts,
    lastBad: stats.lastBad,
    seconds,
  };
}

export { header };
