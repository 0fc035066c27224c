import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/client';
import { qs } from '../../api/paths';
import { queryKeys } from '../../api/queryKeys';
import type { AccountConsentView, Page } from '../../api/types';
import { invalidating, useApiMutation } from '../../api/useApiMutation';

// The end-user account API of one tenant (`${issuer}/account/v1`, the ApiBridge's base).

export function useAccountConsents(tenant: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.accountConsents(tenant),
    queryFn: () => api.request<Page<AccountConsentView>>('GET', `/consents${qs({ limit: 200 })}`),
  });
}

/** Removes an app's access: the server revokes its tokens for this user. */
export function useWithdrawAccountConsent(tenant: string) {
  return useApiMutation(
    (api, id: string) => api.request<void>('DELETE', `/consents/${encodeURIComponent(id)}`),
    invalidating(queryKeys.accountConsents(tenant)),
  );
}
