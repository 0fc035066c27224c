import { useQuery } from '@tanstack/react-query';
import { Outlet, useOutletContext, useParams } from 'react-router';
import { useApi } from '../../api/client';
import { usePermissions, type Permissions } from '../../api/roles';
import type { TenantView } from '../../api/types';
import { ErrorState, LoadingState } from '../../components/common';

export interface TenantContextValue {
  tenant: TenantView;
  permissions: Permissions;
}

export function useTenantQuery(slug: string) {
  const api = useApi();
  return useQuery({ queryKey: ['tenants', slug], queryFn: () => api.request<TenantView>('GET', `/tenants/${encodeURIComponent(slug)}`) });
}

/** Loads the tenant once for every screen under /tenants/:slug. */
export function TenantLayout() {
  const { slug = '' } = useParams();
  const tenant = useTenantQuery(slug);
  const permissions = usePermissions(slug);
  if (tenant.isPending) return <LoadingState label="Loading the tenant…" />;
  if (tenant.isError) return <ErrorState error={tenant.error} onRetry={() => void tenant.refetch()} />;
  return <Outlet context={{ tenant: tenant.data, permissions } satisfies TenantContextValue} />;
}

export function useTenant(): TenantContextValue {
  return useOutletContext<TenantContextValue>();
}
