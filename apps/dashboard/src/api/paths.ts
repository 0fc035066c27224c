/**
 * Admin API paths, built in one place: each segment percent-encoded, the query string from the
 * defined, non-empty values. Feature API modules call these; pages never build a URL.
 */

export type QueryParams = Record<string, string | number | undefined | null>;

/** Query string from the defined, non-empty values, in the order given. */
export function qs(params: QueryParams): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** `/tenants/{slug}/{...segments}`, e.g. `tenantPath('acme', 'clients', id)`. */
export function tenantPath(slug: string, ...segments: string[]): string {
  return ['/tenants', slug, ...segments].map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join('/');
}
