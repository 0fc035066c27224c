import { useQuery } from '@tanstack/react-query';
import type { CreateClientBody, UpdateClientBody } from '@tessera/contracts';
import { useApi } from '../../api/client';
import { tenantPath } from '../../api/paths';
import { queryKeys } from '../../api/queryKeys';
import type { ClientView, ClientWithSecretView } from '../../api/types';
import { invalidating, useApiMutation } from '../../api/useApiMutation';
import { useListPages } from '../../lists/useCursorPages';

const clientPath = (slug: string, clientId: string) => tenantPath(slug, 'clients', clientId);

export function useClientList(slug: string) {
  return useListPages<ClientView>(queryKeys.clientList(slug), tenantPath(slug, 'clients'), 25);
}

export function useClient(slug: string, clientId: string) {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.client(slug, clientId), queryFn: () => api.request<ClientView>('GET', clientPath(slug, clientId)) });
}

/** Answers the client with its secret (confidential clients): the only time it is shown. */
export function useCreateClient(slug: string) {
  return useApiMutation(
    (api, body: CreateClientBody) => api.request<ClientWithSecretView>('POST', tenantPath(slug, 'clients'), body),
    invalidating(queryKeys.clients(slug)),
  );
}

export function useUpdateClient(slug: string, clientId: string) {
  return useApiMutation(
    (api, body: UpdateClientBody) => api.request<ClientView>('PATCH', clientPath(slug, clientId), body),
    async (cache, updated) => {
      cache.setQueryData(queryKeys.client(slug, clientId), updated);
      // The list pages show the name and grants: stale, refetched when next shown.
      await cache.invalidateQueries({ queryKey: queryKeys.clients(slug), exact: false, refetchType: 'none' });
    },
  );
}

/** Answers the new secret; the cached client keeps only the view without it. */
export function useRotateClientSecret(slug: string, clientId: string) {
  return useApiMutation(
    async (api) => {
      const { clientSecret, ...view } = await api.request<ClientWithSecretView>('POST', `${clientPath(slug, clientId)}/secret`);
      return { view, clientSecret: clientSecret ?? null };
    },
    (cache, { view }) => void cache.setQueryData(queryKeys.client(slug, clientId), view),
  );
}

export function useDeleteClient(slug: string, clientId: string) {
  return useApiMutation((api) => api.request<void>('DELETE', clientPath(slug, clientId)), invalidating(queryKeys.clients(slug)));
}
