import { useQuery } from '@tanstack/react-query';
import type { CreateTenantInput, UpdateTenantInput } from '@tessera/contracts';
import { useApi } from '../../api/client';
import { tenantPath } from '../../api/paths';
import { queryKeys } from '../../api/queryKeys';
import type { TenantView } from '../../api/types';
import { invalidating, useApiMutation } from '../../api/useApiMutation';
import { useListPages } from '../../lists/useCursorPages';

export function useTenantList() {
  return useListPages<TenantView>(queryKeys.tenantList, '/tenants', 25);
}

export function useTenantQuery(slug: string) {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.tenant(slug), queryFn: () => api.request<TenantView>('GET', tenantPath(slug)) });
}

/** A new tenant changes the list and the creator's own roles (`/me`). */
export function useCreateTenant() {
  return useApiMutation(
    (api, body: CreateTenantInput) => api.request<TenantView>('POST', '/tenants', body),
    invalidating(queryKeys.tenants, queryKeys.me),
  );
}

export function useUpdateTenant(slug: string) {
  return useApiMutation(
    (api, body: UpdateTenantInput) => api.request<TenantView>('PATCH', tenantPath(slug), body),
    async (cache, updated) => {
      cache.setQueryData(queryKeys.tenant(slug), updated);
      await cache.invalidateQueries({ queryKey: queryKeys.tenantList });
    },
  );
}

export function useDeleteTenant(slug: string) {
  return useApiMutation((api) => api.request<void>('DELETE', tenantPath(slug)), invalidating(queryKeys.tenants));
}
