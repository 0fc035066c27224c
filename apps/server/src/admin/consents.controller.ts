import { Delete, Get, HttpCode, Param, Query, Req } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AuditService } from '@tessera/audit';
import { ClientsService } from '@tessera/clients';
import { ConsentsService } from '@tessera/consents';
import { consentQuerySchema, type ConsentQuery, type ConsentView, type Page } from '@tessera/contracts';
import { TenantsService } from '@tessera/tenancy';
import { GrantRevocationService } from '@tessera/tokens';
import type { FastifyRequest } from 'fastify';
import { AdminApiController } from './admin-api.js';
import { Principal, type AdminPrincipal } from './admin-principal.js';
import { RequireRole } from './require-role.js';
import { ApiProblems } from './openapi-schema.js';
import { originOf } from './request-origin.js';
import { consentView } from './views.js';
import { ZodValidationPipe } from './zod-validation.pipe.js';

@AdminApiController('consents', '/tenants/:slug/consents')
export class ConsentsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly clients: ClientsService,
    private readonly consents: ConsentsService,
    private readonly grants: GrantRevocationService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List consents, optionally of one user (userId) or one client (its public clientId; 404 if unknown)' })
  @ApiProblems(400, 404)
  async list(@Param('slug') slug: string, @Query(new ZodValidationPipe(consentQuerySchema, 'query')) query: ConsentQuery): Promise<Page<ConsentView>> {
    const tenant = await this.tenants.get(slug);
    const { limit, cursor, userId, clientId } = query;
    const clientRef = clientId === undefined ? undefined : (await this.clients.get(tenant.id, clientId)).id;
    const result = await this.consents.list(tenant.id, { userId, clientRef }, { limit, cursor });
    return { items: result.items.map(consentView), next: result.next };
  }

  @Delete(':id')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw a consent: every token of that user at that client is revoked with it' })
  @ApiProblems(404)
  async withdraw(
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Principal() principal: AdminPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const tenant = await this.tenants.get(slug);
    const consent = await this.consents.withdraw(tenant.id, id);
    const grants = await this.grants.revokeUserAtClient(
      tenant.id,
      { ref: consent.clientRef, clientId: consent.clientId },
      consent.userId,
      'consent_withdrawn',
    );
    await this.audit.record(originOf(request, principal), tenant.id, 'consent.withdrawn', { type: 'client', id: consent.clientId }, {
      consentId: consent.id,
      userId: consent.userId,
      scopes: consent.scopes,
      revokedGrants: grants.length,
      via: 'admin_api',
    });
  }
}
