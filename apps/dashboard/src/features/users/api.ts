import type { UpdateUserInput } from '@tessera/contracts';
import { tenantPath } from '../../api/paths';
import { queryKeys } from '../../api/queryKeys';
import type { UserView } from '../../api/types';
import { invalidating, useApiMutation } from '../../api/useApiMutation';
import { useListPages } from '../../lists/useCursorPages';

export function useUserList(slug: string) {
  return useListPages<UserView>(queryKeys.users(slug), tenantPath(slug, 'users'), 25);
}

export function useCreateUser(slug: string) {
  return useApiMutation(
    (api, body: { username: string; password: string; email?: string; name?: string }) => api.request<UserView>('POST', tenantPath(slug, 'users'), body),
    invalidating(queryKeys.users(slug)),
  );
}

export function useUpdateUser(slug: string) {
  return useApiMutation(
    (api, { id, patch }: { id: string; patch: UpdateUserInput }) => api.request<UserView>('PATCH', tenantPath(slug, 'users', id), patch),
    invalidating(queryKeys.users(slug)),
  );
}

export function useDeleteUser(slug: string) {
  return useApiMutation((api, id: string) => api.request<void>('DELETE', tenantPath(slug, 'users', id)), invalidating(queryKeys.users(slug)));
}
