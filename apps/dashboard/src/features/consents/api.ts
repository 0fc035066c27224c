import { tenantPath } from '../../api/paths';
import { queryKeys } from '../../api/queryKeys';
import type { ConsentView } from '../../api/types';
import { invalidating, useApiMutation } from '../../api/useApiMutation';
import { useListPages } from '../../lists/useCursorPages';

export function useConsentList(slug: string, filter: { userId: string; clientId: string }) {
  return useListPages<ConsentView>(queryKeys.consents(slug), tenantPath(slug, 'consents'), 25, filter);
}

/** Withdrawing a consent also revokes that user's tokens at that client (the server does it). */
export function useWithdrawConsent(slug: string) {
  return useApiMutation((api, id: string) => api.request<void>('DELETE', tenantPath(slug, 'consents', id)), invalidating(queryKeys.consents(slug)));
}
