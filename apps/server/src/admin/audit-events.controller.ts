import { Get, Param, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AuditService } from '@tessera/audit';
import { pageQuerySchema, withoutControlCharacters, type AuditEventView, type Page } from '@tessera/contracts';
import { TenantsService } from '@tessera/tenancy';
import { z } from 'zod';
import { AdminApiController } from './admin-api.js';
import { RequireRole } from './require-role.js';
import { ApiProblems } from './openapi-schema.js';
import { auditEventView } from './views.js';
import { ZodValidationPipe } from './zod-validation.pipe.js';

const auditQuerySchema = pageQuerySchema.extend({
  action: withoutControlCharacters(z.string().max(100)).optional(),
  actorId: withoutControlCharacters(z.string().max(200)).optional(),
  targetId: withoutControlCharacters(z.string().max(200)).optional(),
});
type AuditQuery = z.infer<typeof auditQuerySchema>;

@AdminApiController('audit', '/tenants/:slug/audit-events')
export class AuditEventsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Who did what, when, from where: newest first, filter by action, actor or target' })
  @ApiProblems(400, 404)
  async list(@Param('slug') slug: string, @Query(new ZodValidationPipe(auditQuerySchema, 'query')) query: AuditQuery): Promise<Page<AuditEventView>> {
    const tenant = await this.tenants.get(slug);
    const { limit, cursor, ...filter } = query;
    const result = await this.audit.list(tenant.id, filter, { limit, cursor });
    return { items: result.items.map(auditEventView), next: result.next };
  }
}
