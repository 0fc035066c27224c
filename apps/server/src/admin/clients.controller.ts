import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AuditService } from '@tessera/audit';
import { ClientsService } from '@tessera/clients';
import {
  createClientSchema,
  pageQuerySchema,
  updateClientSchema,
  ValidationFailedError,
  type ClientView,
  type ClientWithSecretView,
  type CreateClientInput,
  type Page,
  type PageQuery,
  type UpdateClientInput,
} from '@tessera/contracts';
import { ScopesService, TenantsService } from '@tessera/tenancy';
import { TokenStatusService } from '@tessera/tokens';
import type { FastifyRequest } from 'fastify';
import { AdminApiController } from './admin-api.js';
import { Principal, type AdminPrincipal } from './admin-principal.js';
import { RequireRole } from './require-role.js';
import { ApiJsonBody, ApiProblems } from './openapi-schema.js';
import { originOf } from './request-origin.js';
import { clientView } from './views.js';
import { ZodValidationPipe } from './zod-validation.pipe.js';

@AdminApiController('clients', '/tenants/:slug/clients')
export class ClientsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly clients: ClientsService,
    private readonly scopes: ScopesService,
    private readonly tokenStatus: TokenStatusService,
    private readonly audit: AuditService,
  ) {}

  @Post()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Register a client; a confidential client gets its secret in this answer only' })
  @ApiJsonBody(createClientSchema)
  @ApiProblems(400, 404)
  async create(
    @Param('slug') slug: string,
    @Body(new ZodValidationPipe(createClientSchema)) body: CreateClientInput,
    @Principal() principal: AdminPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<ClientWithSecretView> {
    const tenant = await this.tenants.get(slug);
    await this.checkScopes(tenant.id, body.scopes);
    const { client, clientSecret } = await this.clients.register(tenant.id, body);
    await this.audit.record(originOf(request, principal), tenant.id, 'client.created', { type: 'client', id: client.clientId }, {
      name: client.name,
      type: client.type,
      grantTypes: client.grantTypes,
    });
    return { ...clientView(client), ...(clientSecret ? { clientSecret } : {}) };
  }

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List the clients of a tenant' })
  @ApiProblems(400, 404)
  async list(@Param('slug') slug: string, @Query(new ZodValidationPipe(pageQuerySchema, 'query')) page: PageQuery): Promise<Page<ClientView>> {
    const tenant = await this.tenants.get(slug);
    const result = await this.clients.list(tenant.id, page);
    return { items: result.items.map(clientView), next: result.next };
  }

  @Get(':clientId')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Read a client' })
  @ApiProblems(404)
  async get(@Param('slug') slug: string, @Param('clientId') clientId: string): Promise<ClientView> {
    const tenant = await this.tenants.get(slug);
    return clientView(await this.clients.get(tenant.id, clientId));
  }

  @Patch(':clientId')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Change redirect URIs, scopes, grant types, lifetimes...' })
  @ApiJsonBody(updateClientSchema)
  @ApiProblems(400, 404)
  async update(
    @Param('slug') slug: string,
    @Param('clientId') clientId: string,
    @Body(new ZodValidationPipe(updateClientSchema)) body: UpdateClientInput,
    @Principal() principal: AdminPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<ClientView> {
    const tenant = await this.tenants.get(slug);
    if (body.scopes) await this.checkScopes(tenant.id, body.scopes);
    const client = await this.clients.update(tenant.id, clientId, body);
    await this.audit.record(originOf(request, principal), tenant.id, 'client.updated', { type: 'client', id: clientId }, { changes: body });
    return clientView(client);
  }

  @Post(':clientId/secret')
  @RequireRole('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the secret: the old one stops working now; the new one is shown once' })
  @ApiProblems(404, 409)
  async rotateSecret(
    @Param('slug') slug: string,
    @Param('clientId') clientId: string,
    @Principal() principal: AdminPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<ClientWithSecretView> {
    const tenant = await this.tenants.get(slug);
    const { client, clientSecret } = await this.clients.rotateSecret(tenant.id, clientId);
    await this.audit.record(originOf(request, principal), tenant.id, 'client.secret_rotated', { type: 'client', id: clientId });
    return { ...clientView(client), clientSecret };
  }

  @Delete(':clientId')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a client; its tokens die with it' })
  @ApiProblems(404, 409)
  async delete(
    @Param('slug') slug: string,
    @Param('clientId') clientId: string,
    @Principal() principal: AdminPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const tenant = await this.tenants.get(slug);
    await this.clients.delete(tenant.id, clientId);
    // A client re-created with the same id must not revive the old tokens.
    await this.tokenStatus.revokeAllOfClient(tenant.id, clientId);
    await this.audit.record(originOf(request, principal), tenant.id, 'client.deleted', { type: 'client', id: clientId });
  }

  private async checkScopes(tenantId: string, scopes: readonly string[]): Promise<void> {
    const errors = await this.scopes.unknownScopes(tenantId, scopes, 'scopes');
    if (errors.length > 0) throw new ValidationFailedError(errors);
  }
}
