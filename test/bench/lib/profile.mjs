// Reads a V8 .cpuprofile (node --cpu-prof) and summarises self time: only the samples taken inside
// the measured window (profile timestamps and process.hrtime share the monotonic clock), by
// function and by where the code lives (Tessera, a package, Node internals, native/GC).
import { readFileSync } from 'node:fs';
import path from 'node:path';

function where(url, root) {
  if (!url) return '(native/V8)';
  if (url.startsWith('node:internal/crypto')) return 'node: crypto';
  if (/^node:(_http|net|internal\/(stream|http|streams|url|querystring))|^node:(stream|querystring|url)/.test(url)) return 'node: http, net, streams';
  if (url.startsWith('node:')) return 'node: other';
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (file.includes('/dist/server/')) return 'tessera';
  return path.relative(root, file) || file;
}

function shortUrl(url, root) {
  if (!url) return '';
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) return file.slice(nm + '/node_modules/'.length);
  return path.relative(path.join(root, 'dist/server'), file).startsWith('..') ? file : path.relative(path.join(root, 'dist/server'), file);
}

/** window: [startUs, endUs] on the monotonic clock, or null for the whole profile. */
export function summariseProfile(file, root, window, top = 20) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (window && (t < window[0] || t > window[1])) continue;
    // Each sample stands for the interval since the previous one.
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
    total += dt;
  }
  const byFunction = new Map();
  const byPlace = new Map();
  for (const [id, us] of selfUs) {
    const { callFrame } = nodes.get(id);
    const name = callFrame.functionName || '(anonymous)';
    const loc = callFrame.url ? `${shortUrl(callFrame.url, root)}:${callFrame.lineNumber + 1}` : '';
    const key = `${name}\u0000${loc}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const place = name.startsWith('(') && !callFrame.url ? name : where(callFrame.url, root);
    byPlace.set(place, (byPlace.get(place) ?? 0) + us);
  }
  const busy = total - (byPlace.get('(idle)') ?? 0);
  const rows = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([key, us]) => ({ key, ms: us / 1000, pctTotal: (100 * us) / (total || 1), pctBusy: (100 * us) / (busy || 1) }));
  return {
    windowed: Boolean(window),
    totalMs: total / 1000,
    busyMs: busy / 1000,
    functions: rows(byFunction)
      .slice(0, top)
      .map((r) => {
        const [name, loc] = r.key.split('\u0000');
        return { name, location: loc, ms: r.ms, pctTotal: r.pctTotal, pctBusy: r.pctBusy };
      }),
    places: rows(byPlace).map((r) => ({ place: r.key, ms: r.ms, pctTotal: r.pctTotal, pctBusy: r.pctBusy })),
  };
}
