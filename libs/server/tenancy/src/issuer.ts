import type { Tenant } from './tenant.js';

/** CONTRACT.md: the issuer of tenant T is exactly `${PUBLIC_URL}/t/T`. */
export function issuerOf(publicUrl: string, slug: string): string {
  return `${publicUrl}/t/${slug}`;
}

export function audienceOf(publicUrl: string, tenant: Pick<Tenant, 'slug' | 'settings'>): string {
  return tenant.settings.audience ?? `${issuerOf(publicUrl, tenant.slug)}/api`;
}
