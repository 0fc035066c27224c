import { qs, tenantPath, type QueryParams } from '../../api/paths';
import { queryKeys } from '../../api/queryKeys';
import type { Api } from '../../api/client';
import type { AuditEventView, Page } from '../../api/types';
import { useListPages } from '../../lists/useCursorPages';

export type AuditFilter = { action: string; actorId: string; targetId: string };

export function useAuditEvents(slug: string, filter: AuditFilter) {
  return useListPages<AuditEventView>(queryKeys.audit(slug), tenantPath(slug, 'audit-events'), 50, filter);
}

/** One page of audit events, for screens that walk them themselves (the overview's charts). */
export function fetchAuditPage(api: Api, slug: string, params: QueryParams): Promise<Page<AuditEventView>> {
  return api.request<Page<AuditEventView>>('GET', `${tenantPath(slug, 'audit-events')}${qs(params)}`);
}
