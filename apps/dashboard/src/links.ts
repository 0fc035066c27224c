import { qs } from './api/paths';

/**
 * The dashboard's own screens, as links and navigation targets: built here once, each segment
 * percent-encoded, filters as the list screens read them from the URL (useUrlFilters).
 */
export const links = {
  tenants: '/tenants',
  /** A tenant's overview, or one of its sections (`clients`, `audit`...). */
  tenant: (slug: string, section = '') => `/tenants/${encodeURIComponent(slug)}${section ? `/${section}` : ''}`,
  client: (slug: string, clientId: string) => `${links.tenant(slug, 'clients')}/${encodeURIComponent(clientId)}`,
  grantsOfClient: (slug: string, clientId: string) => `${links.tenant(slug, 'tokens')}${qs({ clientId })}`,
  consentsOfUser: (slug: string, userId: string) => `${links.tenant(slug, 'consents')}${qs({ userId })}`,
};
