import { Injectable } from '@nestjs/common';
import type { Page } from '@tessera/contracts';
import type { AuditEvent, RequestOrigin } from './audit-event.js';
import { AuditEventRepository, type AuditFilter } from './audit-event.repository.js';

/** Keys whose values never go into an audit record, at any depth. */
const SECRET_KEYS = /secret|password|token|assertion|code_verifier/i;

@Injectable()
export class AuditService {
  constructor(private readonly repository: AuditEventRepository) {}

  record(
    origin: RequestOrigin,
    tenantId: string | null,
    action: string,
    target: { type: string; id: string | null },
    details: Record<string, unknown> = {},
  ): Promise<void> {
    return this.repository.append({
      tenantId,
      action,
      actor: origin.actor,
      target,
      ip: origin.ip,
      userAgent: origin.userAgent ? origin.userAgent.slice(0, 512) : null,
      details: scrub(details) as Record<string, unknown>,
    });
  }

  list(tenantId: string, filter: AuditFilter, page: { limit: number; cursor?: string }): Promise<Page<AuditEvent>> {
    return this.repository.list(tenantId, filter, page);
  }
}

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : scrub(v)]),
    );
  }
  return value;
}
