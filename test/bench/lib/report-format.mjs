// Number formats and the median, shared by the report's sections.

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

const missing = (x) => x === null || x === undefined || Number.isNaN(x);
export const n0 = (x) => (missing(x) ? '–' : Math.round(x).toLocaleString('en-US'));
export const n1 = (x) => (missing(x) ? '–' : x.toFixed(1));
export const n2 = (x) => (missing(x) ? '–' : x.toFixed(2));
export const pct = (x) => (missing(x) ? '–' : `${Math.round(x * 100)}%`);
export const ratio = (x) => (missing(x) ? '–' : `${x.toFixed(2)}x`);
export const verdict = (ok) => (ok === null || ok === undefined ? '–' : ok ? 'met' : '**missed**');
/** Two significant figures or so, for counts per operation (0.005 → 0.01, 12.3 → 12). */
export const count = (x) => (missing(x) ? '–' : x === 0 ? '0' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));
