import { keepPreviousData, useQuery, type QueryKey } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../api/client';
import { qs } from '../api/paths';
import type { Page } from '../api/types';

/**
 * Cursor pagination over an admin API list (`{items, next}` with `?limit=&cursor=`). The cursors
 * walked belong to one key: when the key changes (another filter), paging starts again at page 1.
 */
export function useCursorPages<T>(key: QueryKey, fetchPage: (cursor: string | undefined) => Promise<Page<T>>) {
  const keyHash = JSON.stringify(key);
  // The cursors of the pages before the current one; undefined is the first page.
  const [walk, setWalk] = useState<{ keyHash: string; cursors: (string | undefined)[] }>({ keyHash, cursors: [undefined] });
  const cursors = walk.keyHash === keyHash ? walk.cursors : [undefined];
  const setCursors = (next: (c: (string | undefined)[]) => (string | undefined)[]) =>
    setWalk((w) => ({ keyHash, cursors: next(w.keyHash === keyHash ? w.cursors : [undefined]) }));
  const cursor = cursors[cursors.length - 1];
  const query = useQuery({
    queryKey: [...key, cursor ?? null],
    queryFn: () => fetchPage(cursor),
    placeholderData: keepPreviousData,
  });
  return {
    query,
    page: cursors.length,
    hasPrevious: cursors.length > 1,
    hasNext: Boolean(query.data?.next),
    next: () => query.data?.next && setCursors((c) => [...c, query.data!.next ?? undefined]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    reset: () => setCursors(() => [undefined]),
  };
}

export type CursorPages<T> = ReturnType<typeof useCursorPages<T>>;

/** Pages of `GET {path}?limit=&cursor=&...params` under `key` (the params belong in the key too). */
export function useListPages<T>(key: QueryKey, path: string, limit: number, params: Record<string, string> = {}) {
  const api = useApi();
  return useCursorPages<T>([...key, params], (cursor) => api.request<Page<T>>('GET', `${path}${qs({ limit, cursor, ...params })}`));
}
