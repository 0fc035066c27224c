import { useSearchParams } from 'react-router';

/**
 * A list's filters, kept in the URL (`?userId=…&clientId=…`) so a filtered list can be linked to
 * and survives a reload. Changes replace the history entry rather than adding one per keystroke.
 * Paging follows by itself: the filters are part of the list's query key (useListPages).
 */
export function useUrlFilters<const N extends string>(names: readonly N[]) {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(names.map((name) => [name, params.get(name) ?? ''])) as Record<N, string>;
  return {
    values,
    active: names.some((name) => values[name] !== ''),
    set(name: N, value: string) {
      if (value === values[name]) return;
      const next = new URLSearchParams(params);
      if (value) next.set(name, value);
      else next.delete(name);
      setParams(next, { replace: true });
    },
    clear() {
      setParams(new URLSearchParams(), { replace: true });
    },
  };
}

export type UrlFilters<N extends string> = ReturnType<typeof useUrlFilters<N>>;
