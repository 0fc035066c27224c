import { AuditEventRepository, type AuditEvent, type AuditFilter, type NewAuditEvent } from '@tessera/audit';
import { ValidationFailedError, type Page } from '@tessera/contracts';
import type { DataSource, Repository } from 'typeorm';
import { AuditEventEntity } from '../entities/audit-event.entity.js';

export class TypeOrmAuditEventRepository extends AuditEventRepository {
  private readonly repo: Repository<AuditEventEntity>;

  constructor(dataSource: DataSource) {
    super();
    this.repo = dataSource.getRepository(AuditEventEntity);
  }

  async append(event: NewAuditEvent): Promise<void> {
    await this.repo.insert({
      tenantId: event.tenantId,
      action: event.action,
      actorType: event.actor.type,
      actorId: event.actor.id,
      actorLabel: event.actor.label,
      targetType: event.target.type,
      targetId: event.target.id,
      ip: event.ip,
      userAgent: event.userAgent,
      details: event.details as never,
    });
  }

  /** Newest first; the cursor is the last id seen (ids only grow). */
  async list(tenantId: string, filter: AuditFilter, page: { limit: number; cursor?: string }): Promise<Page<AuditEvent>> {
    const qb = this.repo.createQueryBuilder('a').where('a.tenant_id = :tenantId', { tenantId });
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: filter.actorId });
    if (filter.targetId) qb.andWhere('a.target_id = :targetId', { targetId: filter.targetId });
    if (page.cursor !== undefined) {
      if (!/^[1-9][0-9]{0,17}$/.test(page.cursor)) {
        throw new ValidationFailedError([{ field: 'cursor', message: 'is not a cursor this API returned' }]);
      }
      qb.andWhere('a.id < :before', { before: page.cursor });
    }
    const rows = await qb.orderBy('a.id', 'DESC').take(page.limit + 1).getMany();
    const more = rows.length > page.limit;
    const items = more ? rows.slice(0, page.limit) : rows;
    const last = items[items.length - 1];
    return { items: items.map(toEvent), next: more && last ? String(last.id) : null };
  }
}

function toEvent(row: AuditEventEntity): AuditEvent {
  return {
    id: String(row.id),
    tenantId: row.tenantId,
    action: row.action,
    actor: { type: row.actorType as AuditEvent['actor']['type'], id: row.actorId, label: row.actorLabel },
    target: { type: row.targetType, id: row.targetId },
    ip: row.ip,
    userAgent: row.userAgent,
    details: row.details,
    createdAt: row.createdAt,
  };
}
