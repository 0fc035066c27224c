import type { AddMemberInput, TenantRole } from '@tessera/contracts';
import { tenantPath } from '../../api/paths';
import { queryKeys } from '../../api/queryKeys';
import type { MemberView } from '../../api/types';
import { invalidating, useApiMutation } from '../../api/useApiMutation';
import { useListPages } from '../../lists/useCursorPages';

export function useMemberList(slug: string) {
  return useListPages<MemberView>(queryKeys.members(slug), tenantPath(slug, 'members'), 50);
}

export function useAddMember(slug: string) {
  return useApiMutation((api, body: AddMemberInput) => api.request<MemberView>('POST', tenantPath(slug, 'members'), body), invalidating(queryKeys.members(slug)));
}

export function useChangeMemberRole(slug: string) {
  return useApiMutation(
    (api, { userId, role }: { userId: string; role: TenantRole }) => api.request<MemberView>('PATCH', tenantPath(slug, 'members', userId), { role }),
    invalidating(queryKeys.members(slug)),
  );
}

export function useRemoveMember(slug: string) {
  return useApiMutation((api, userId: string) => api.request<void>('DELETE', tenantPath(slug, 'members', userId)), invalidating(queryKeys.members(slug)));
}
