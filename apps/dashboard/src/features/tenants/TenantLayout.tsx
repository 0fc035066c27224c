import { Outlet, useOutletContext, useParams } from 'react-router';
import { usePermissions, type Permissions } from '../../api/roles';
import type { TenantView } from '../../api/types';
import { ErrorState, LoadingState } from '../../components/states';
import { useTenantQuery } from './api';

export interface TenantContextValue {
  tenant: TenantView;
  permissions: Permissions;
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
