import type { Page } from '@tessera/contracts';
import type { AuditEvent, NewAuditEvent } from './audit-event.js';

export interface AuditFilter {
  action?: string;
  actorId?: string;
  targetId?: string;
}

/** Storage port for audit events: append-only. */
export abstract class AuditEventRepository {
  abstract append(event: NewAuditEvent): Promise<void>;
  /** Newest first. */
  abstract list(tenantId: string, filter: AuditFilter, page: { limit: number; cursor?: string }): Promise<Page<AuditEvent>>;
}
