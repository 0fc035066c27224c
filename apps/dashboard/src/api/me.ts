import { useQuery } from '@tanstack/react-query';
import { useAuth } from '../auth/AuthProvider';
import { ApiError, useApi } from './client';
import { queryKeys } from './queryKeys';
import type { MeView } from './types';

// Kept apart from roles.ts, which imports the shared contracts (and with them zod and every
// schema): the shell needs only `/me`, so the entry chunk stays without them.

export const PLATFORM_ADMIN_SCOPE = 'platform:admin';

/** Who is signed in and their role in each tenant (`GET /me`). */
export function useMe() {
  const api = useApi();
  const { auth } = useAuth();
  const platformScope = auth.status === 'signedIn' && auth.scope.includes(PLATFORM_ADMIN_SCOPE);
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: async (): Promise<MeView> => {
      try {
        return await api.request<MeView>('GET', '/me');
      } catch (error) {
        // A server without per-tenant roles yet: the token's scope alone decides.
        if (error instanceof ApiError && error.status === 404) {
          const subject = auth.status === 'signedIn' ? auth.user.subject : '';
          return { kind: 'user', subject, clientId: 'dashboard', platformAdmin: platformScope, memberships: [] };
        }
        throw error;
      }
    },
    staleTime: 60_000,
  });
}
