import { useQuery } from '@tanstack/react-query';
import { useApi, type Api } from '../../api/client';
import { qs, tenantPath } from '../../api/paths';
import { queryKeys } from '../../api/queryKeys';
import type { AuditEventView, TokenIssuanceStatsView } from '../../api/types';
import { fetchAuditPage } from '../audit/api';

const MAX_PAGES = 10;

/** Events of one action over the last `days` days (newest first, so paging stops at the window's start). */
async function recentEvents(api: Api, slug: string, action: string, days: number): Promise<AuditEventView[]> {
  const since = Date.now() - days * 86_400_000;
  const events: AuditEventView[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await fetchAuditPage(api, slug, { action, limit: 200, cursor });
    for (const e of page.items) if (Date.parse(e.createdAt) >= since) events.push(e);
    const last = page.items[page.items.length - 1];
    if (!page.next || !last || Date.parse(last.createdAt) < since) break;
    cursor = page.next;
  }
  return events;
}

/** The recent audit events of each action, shaped by `shape` (the chart's rows). */
export function useRecentActivity<T>(slug: string, actions: readonly string[], days: number, shape: (events: AuditEventView[][]) => T) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.activity(slug, actions),
    queryFn: async () => shape(await Promise.all(actions.map((action) => recentEvents(api, slug, action, days)))),
  });
}

/** Token responses per UTC day and grant type, from the server's issuance counters. */
export function useTokenIssuance<T>(slug: string, days: number, shape: (stats: TokenIssuanceStatsView) => T) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.tokenIssuance(slug, days),
    queryFn: async () => shape(await api.request<TokenIssuanceStatsView>('GET', `${tenantPath(slug, 'stats', 'tokens')}${qs({ days })}`)),
  });
}
