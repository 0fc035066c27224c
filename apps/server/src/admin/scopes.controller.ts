import { Body, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AuditService } from '@tessera/audit';
import { ClientsService } from '@tessera/clients';
import {
  ConflictError,
  createScopeSchema,
  pageQuerySchema,
  type CreateScopeInput,
  type Page,
  type PageQuery,
  type ScopeView,
} from '@tessera/contracts';
import { BUILT_IN_SCOPE_DESCRIPTIONS, ScopesService, TenantsService } from '@tessera/tenancy';
import type { FastifyRequest } from 'fastify';
import { AdminApiController } from './admin-api.js';
import { Principal, type AdminPrincipal } from './admin-principal.js';
import { RequireRole } from './require-role.js';
import { ApiJsonBody, ApiProblems } from './openapi-schema.js';
import { originOf } from './request-origin.js';
import { decodeListCursor, encodeListCursor, startAfter } from './list-page.js';
import { DASHBOARD_CLIENT_ID } from './platform-bootstrap.service.js';
import { ACCOUNT_CLIENT_ID } from './tenant-provisioning.service.js';
import { scopeView } from './views.js';
import { ZodValidationPipe } from './zod-validation.pipe.js';

const BUILT_IN_SCOPES: readonly ScopeView[] = Object.entries(BUILT_IN_SCOPE_DESCRIPTIONS).map(([name, description]) => ({
  name,
  description,
  builtIn: true,
  createdAt: null,
}));

@AdminApiController('scopes', '/tenants/:slug/scopes')
export class ScopesController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly scopes: ScopesService,
    private readonly clients: ClientsService,
    private readonly audit: AuditService,
  ) {}

  @Post()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Define a scope in the tenant' })
  @ApiJsonBody(createScopeSchema)
  @ApiProblems(400, 404, 409)
  async create(
    @Param('slug') slug: string,
    @Body(new ZodValidationPipe(createScopeSchema)) body: CreateScopeInput,
    @Principal() principal: AdminPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<ScopeView> {
    const tenant = await this.tenants.get(slug);
    const scope = await this.scopes.create(tenant.id, body.name, body.description);
    await this.audit.record(originOf(request, principal), tenant.id, 'scope.created', { type: 'scope', id: scope.name });
    return scopeView(scope);
  }

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List scopes: the built-in ones first, then the tenant-defined ones' })
  @ApiProblems(400, 404)
  async list(@Param('slug') slug: string, @Query(new ZodValidationPipe(pageQuerySchema, 'query')) page: PageQuery): Promise<Page<ScopeView>> {
    const tenant = await this.tenants.get(slug);
    // One list, `limit` items a page: the built-in scopes (cursors naming one of them), then the
    // tenant's own (the database's cursors).
    const databaseCursor = page.cursor !== undefined && decodeListCursor(page.cursor) === undefined ? page.cursor : undefined;
    const start = databaseCursor === undefined ? startAfter(BUILT_IN_SCOPES, (s) => s.name, page.cursor) : BUILT_IN_SCOPES.length;
    const builtIn = BUILT_IN_SCOPES.slice(start, start + page.limit);
    const room = page.limit - builtIn.length;
    if (room === 0) {
      const more = start + page.limit < BUILT_IN_SCOPES.length || (await this.scopes.list(tenant.id, { limit: 1 })).items.length > 0;
      return { items: builtIn, next: more ? encodeListCursor(builtIn[builtIn.length - 1]!.name) : null };
    }
    const result = await this.scopes.list(tenant.id, { limit: room, cursor: databaseCursor });
    return { items: [...builtIn, ...result.items.map(scopeView)], next: result.next };
  }

  @Delete(':name')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a tenant-defined scope' })
  @ApiProblems(404, 409)
  async delete(
    @Param('slug') slug: string,
    @Param('name') name: string,
    @Principal() principal: AdminPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const tenant = await this.tenants.get(slug);
    // CONTRACT.md: the built-in clients (`account`, `dashboard`) keep working, so their scopes stay.
    const builtIn = await Promise.all([ACCOUNT_CLIENT_ID, DASHBOARD_CLIENT_ID].map((id) => this.clients.find(tenant.id, id)));
    const holder = builtIn.find((client) => client?.builtIn && client.scopes.includes(name));
    if (holder) throw new ConflictError(`scope ${name} is held by the built-in client ${holder.clientId} and cannot be deleted`);
    await this.scopes.delete(tenant.id, name);
    await this.audit.record(originOf(request, principal), tenant.id, 'scope.deleted', { type: 'scope', id: name });
  }
}
