import type { RevokeTokensInput } from '@tessera/contracts';
import { tenantPath } from '../../api/paths';
import { queryKeys } from '../../api/queryKeys';
import type { GrantView } from '../../api/types';
import { invalidating, useApiMutation } from '../../api/useApiMutation';
import { useListPages } from '../../lists/useCursorPages';

/** Live grants (refresh-token families), optionally of one client or user. */
export function useGrantList(slug: string, filter: { clientId: string; userId: string }) {
  return useListPages<GrantView>(queryKeys.tokens(slug), tenantPath(slug, 'tokens'), 25, filter);
}

/** One access token (`jti`), one grant, or every token of a client or user. */
export function useRevokeTokens(slug: string) {
  return useApiMutation((api, body: RevokeTokensInput) => api.request<void>('POST', tenantPath(slug, 'tokens', 'revoke'), body), invalidating(queryKeys.tokens(slug)));
}
