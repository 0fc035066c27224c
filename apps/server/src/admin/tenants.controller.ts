import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AuditService } from '@tessera/audit';
import {
  createTenantSchema,
  pageQuerySchema,
  updateTenantSchema,
  type CreateTenantInput,
  type Page,
  type PageQuery,
  type TenantView,
  type UpdateTenantInput,
} from '@tessera/contracts';
import { ADMIN_TENANT_SLUG, MembersService, TenancyOptions, TenantsService } from '@tessera/tenancy';
import type { FastifyRequest } from 'fastify';
import { AdminApiController } from './admin-api.js';
import { Principal, type AdminPrincipal } from './admin-principal.js';
import { RequireRole } from './require-role.js';
import { ApiJsonBody, ApiProblems } from './openapi-schema.js';
import { originOf } from './request-origin.js';
import { TenantProvisioningService } from './tenant-provisioning.service.js';
import { tenantView } from './views.js';
import { ZodValidationPipe } from './zod-validation.pipe.js';

@AdminApiController('tenants', '/tenants')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly members: MembersService,
    private readonly provisioning: TenantProvisioningService,
    private readonly audit: AuditService,
    private readonly options: TenancyOptions,
  ) {}

  @Post()
  @RequireRole('platform')
  @ApiOperation({ summary: 'Create a tenant with its signing key and built-in account client (platform admins only)' })
  @ApiJsonBody(createTenantSchema)
  @ApiProblems(400, 409)
  async create(
    @Body(new ZodValidationPipe(createTenantSchema)) body: CreateTenantInput,
    @Principal() principal: AdminPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<TenantView> {
    const tenant = await this.provisioning.create(body, originOf(request, principal));
    return tenantView(this.options.publicUrl, tenant);
  }

  @Get()
  @RequireRole('signed-in')
  @ApiOperation({ summary: 'List tenants: all of them for a platform admin, else those where the caller holds a role' })
  @ApiProblems(400)
  async list(
    @Query(new ZodValidationPipe(pageQuerySchema, 'query')) page: PageQuery,
    @Principal() principal: AdminPrincipal,
  ): Promise<Page<TenantView>> {
    const onlyIds = principal.platformAdmin ? undefined : (await this.members.membershipsOf(principal.subject)).map((m) => m.tenantId);
    const result = await this.tenants.list(page, onlyIds);
    return { items: result.items.map((t) => tenantView(this.options.publicUrl, t)), next: result.next };
  }

  @Get(':slug')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Read a tenant' })
  @ApiProblems(404)
  async get(@Param('slug') slug: string): Promise<TenantView> {
    return tenantView(this.options.publicUrl, await this.tenants.get(slug));
  }

  @Patch(':slug')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Change display name or settings (branding, audience, legacy grants)' })
  @ApiJsonBody(updateTenantSchema)
  @ApiProblems(400, 404)
  async update(
    @Param('slug') slug: string,
    @Body(new ZodValidationPipe(updateTenantSchema)) body: UpdateTenantInput,
    @Principal() principal: AdminPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<TenantView> {
    const tenant = await this.tenants.update(slug, body);
    await this.audit.record(originOf(request, principal), tenant.id, 'tenant.updated', { type: 'tenant', id: slug }, { changes: body });
    return tenantView(this.options.publicUrl, tenant);
  }

  @Delete(':slug')
  @RequireRole('owner')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a tenant and everything it owns' })
  @ApiProblems(404, 409)
  async delete(@Param('slug') slug: string, @Principal() principal: AdminPrincipal, @Req() request: FastifyRequest): Promise<void> {
    const tenant = await this.tenants.delete(slug, ADMIN_TENANT_SLUG);
    await this.audit.record(originOf(request, principal), tenant.id, 'tenant.deleted', { type: 'tenant', id: slug });
  }
}
