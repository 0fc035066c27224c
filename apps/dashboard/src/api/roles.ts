import { roleIncludes } from '@tessera/contracts';
import { useMe } from './me';
import type { MeView, TenantRole } from './types';

export { PLATFORM_ADMIN_SCOPE, useMe } from './me';

export interface Permissions {
  /** Still loading `/me`: controls stay disabled until it is known. */
  loading: boolean;
  role: TenantRole | 'platform' | null;
  /** Change anything in the tenant (owner, admin, platform admin). */
  canEdit: boolean;
  /** Manage members and delete the tenant (owner, platform admin). */
  canManage: boolean;
}

export function permissionsFor(me: MeView | undefined, slug: string | undefined): Omit<Permissions, 'loading'> {
  if (!me) return { role: null, canEdit: false, canManage: false };
  if (me.platformAdmin) return { role: 'platform', canEdit: true, canManage: true };
  const role = me.memberships.find((m) => m.tenant === slug)?.role ?? null;
  return { role, canEdit: role !== null && roleIncludes(role, 'admin'), canManage: role !== null && roleIncludes(role, 'owner') };
}

export function usePermissions(slug: string | undefined): Permissions {
  const me = useMe();
  return { loading: me.isPending, ...permissionsFor(me.data, slug) };
}

/** Why a control is disabled, for its tooltip. */
export function readOnlyReason(p: Permissions): string | null {
  if (p.loading) return 'Checking your role…';
  if (!p.canEdit) return p.role === 'viewer' ? 'Viewers can look but not change' : 'You have no role in this tenant';
  return null;
}
