import type { QueryKey } from '@tanstack/react-query';

/**
 * Every query key of the dashboard, defined once. A key is a path: invalidating a prefix refreshes
 * everything below it (a tenant's clients: each list page and each client). Tenants sit under
 * `detail` so that no slug (a tenant may be called `list`) can reach another branch.
 */
const tenant = (slug: string) => ['tenants', 'detail', slug] as const;
const under = (slug: string, resource: string) => [...tenant(slug), resource] as const;

export const queryKeys = {
  me: ['me'],
  /** Everything about tenants: the list, each tenant and what it holds. */
  tenants: ['tenants'],
  tenantList: ['tenants', 'list'],
  tenant,
  clients: (slug: string) => under(slug, 'clients'),
  clientList: (slug: string) => [...under(slug, 'clients'), 'list'],
  client: (slug: string, clientId: string) => [...under(slug, 'clients'), 'detail', clientId],
  scopes: (slug: string) => under(slug, 'scopes'),
  scopeList: (slug: string) => [...under(slug, 'scopes'), 'list'],
  scopeNames: (slug: string) => [...under(slug, 'scopes'), 'names'],
  users: (slug: string) => under(slug, 'users'),
  consents: (slug: string) => under(slug, 'consents'),
  tokens: (slug: string) => under(slug, 'tokens'),
  keys: (slug: string) => under(slug, 'keys'),
  audit: (slug: string) => under(slug, 'audit'),
  activity: (slug: string, actions: readonly string[]) => [...under(slug, 'overview'), 'activity', ...actions],
  tokenIssuance: (slug: string, days: number) => [...under(slug, 'overview'), 'stats', 'tokens', days],
  members: (slug: string) => under(slug, 'members'),
  accountConsents: (tenantSlug: string) => ['account', tenantSlug, 'consents'],
} satisfies Record<string, QueryKey | ((...args: never[]) => QueryKey)>;
