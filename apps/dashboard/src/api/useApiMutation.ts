import { useMutation, useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { useApi, type Api } from './client';

/**
 * A change sent to the API. Once the server has answered, `after` updates the cache (set a query's
 * data, invalidate what the change made stale) before `mutateAsync` resolves, so a page that
 * navigates or notifies afterwards shows fresh data. A failure rejects `mutateAsync` with the
 * ApiError, for the form or dialog to show.
 */
export function useApiMutation<V = void, R = unknown>(
  send: (api: Api, variables: V) => Promise<R>,
  after: (cache: QueryClient, result: R, variables: V) => Promise<unknown> | void = () => undefined,
) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (variables: V) => send(api, variables),
    onSuccess: (result, variables) => after(queryClient, result, variables),
  });
}

/** `after` for the usual case: refresh every query under these keys, one after the other. */
export function invalidating(...keys: QueryKey[]) {
  return async (cache: QueryClient) => {
    for (const queryKey of keys) await cache.invalidateQueries({ queryKey });
  };
}
