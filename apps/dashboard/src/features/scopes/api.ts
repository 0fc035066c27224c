import { useQuery } from '@tanstack/react-query';
import type { CreateScopeInput } from '@tessera/contracts';
import { useApi } from '../../api/client';
import { qs, tenantPath } from '../../api/paths';
import { queryKeys } from '../../api/queryKeys';
import type { Page, ScopeView } from '../../api/types';
import { invalidating, useApiMutation } from '../../api/useApiMutation';
import { useListPages } from '../../lists/useCursorPages';

export function useScopeList(slug: string) {
  return useListPages<ScopeView>(queryKeys.scopeList(slug), tenantPath(slug, 'scopes'), 50);
}

/** The names of the tenant's scopes (built-in and its own), for pickers. */
export function useScopeNames(slug: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.scopeNames(slug),
    queryFn: async () => (await api.request<Page<ScopeView>>('GET', `${tenantPath(slug, 'scopes')}${qs({ limit: 200 })}`)).items.map((s) => s.name),
  });
}

export function useCreateScope(slug: string) {
  return useApiMutation(
    (api, body: CreateScopeInput) => api.request<ScopeView>('POST', tenantPath(slug, 'scopes'), body),
    invalidating(queryKeys.scopes(slug)),
  );
}

export function useDeleteScope(slug: string) {
  return useApiMutation((api, name: string) => api.request<void>('DELETE', tenantPath(slug, 'scopes', name)), invalidating(queryKeys.scopes(slug)));
}
