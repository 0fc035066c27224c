import { tenantPath } from '../../api/paths';
import { queryKeys } from '../../api/queryKeys';
import type { SigningKeyView } from '../../api/types';
import { invalidating, useApiMutation } from '../../api/useApiMutation';
import { useListPages } from '../../lists/useCursorPages';

/** Two active keys (ES256, RS256) and two more per rotation while they are published: pages of 50. */
export function useKeyList(slug: string) {
  return useListPages<SigningKeyView>(queryKeys.keys(slug), tenantPath(slug, 'keys'), 50);
}

/** Answers the new active ES256 key. */
export function useRotateKeys(slug: string) {
  return useApiMutation((api) => api.request<SigningKeyView>('POST', tenantPath(slug, 'keys', 'rotate')), invalidating(queryKeys.keys(slug)));
}
