import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AuditService } from '@tessera/audit';
import {
  createUserSchema,
  pageQuerySchema,
  updateUserSchema,
  type CreateUserInput,
  type Page,
  type PageQuery,
  type UpdateUserInput,
  type UserView,
} from '@tessera/contracts';
import { TenantsService } from '@tessera/tenancy';
import { GrantRevocationService } from '@tessera/tokens';
import { UsersService } from '@tessera/users';
import type { FastifyRequest } from 'fastify';
import { AdminApiController } from './admin-api.js';
import { Principal, type AdminPrincipal } from './admin-principal.js';
import { RequireRole } from './require-role.js';
import { ApiJsonBody, ApiProblems } from './openapi-schema.js';
import { originOf } from './request-origin.js';
import { userView } from './views.js';
import { ZodValidationPipe } from './zod-validation.pipe.js';

@AdminApiController('users', '/tenants/:slug/users')
export class UsersController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly users: UsersService,
    private readonly grants: GrantRevocationService,
    private readonly audit: AuditService,
  ) {}

  @Post()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Create an end user (the password is stored as an argon2id hash)' })
  @ApiJsonBody(createUserSchema)
  @ApiProblems(400, 404, 409)
  async create(
    @Param('slug') slug: string,
    @Body(new ZodValidationPipe(createUserSchema)) body: CreateUserInput,
    @Principal() principal: AdminPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<UserView> {
    const tenant = await this.tenants.get(slug);
    const user = await this.users.create(tenant.id, body);
    await this.audit.record(originOf(request, principal), tenant.id, 'user.created', { type: 'user', id: user.id }, { username: user.username });
    return userView(user);
  }

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List end users' })
  @ApiProblems(400, 404)
  async list(@Param('slug') slug: string, @Query(new ZodValidationPipe(pageQuerySchema, 'query')) page: PageQuery): Promise<Page<UserView>> {
    const tenant = await this.tenants.get(slug);
    const result = await this.users.list(tenant.id, page);
    return { items: result.items.map(userView), next: result.next };
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Read an end user' })
  @ApiProblems(404)
  async get(@Param('slug') slug: string, @Param('id') id: string): Promise<UserView> {
    const tenant = await this.tenants.get(slug);
    return userView(await this.users.get(tenant.id, id));
  }

  @Patch(':id')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Change an end user; disabling or a new password ends their tokens and browser sessions' })
  @ApiJsonBody(updateUserSchema)
  @ApiProblems(400, 404)
  async update(
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body(new ZodValidationPipe(updateUserSchema)) body: UpdateUserInput,
    @Principal() principal: AdminPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<UserView> {
    const tenant = await this.tenants.get(slug);
    const user = await this.users.update(tenant.id, id, body);
    // A new password or a disabled account ends every grant: refresh tokens too, not only access tokens.
    if (body.disabled === true || body.password !== undefined) await this.grants.revokeUser(tenant.id, user.id, body.disabled === true ? 'user_disabled' : 'password_changed');
    const { password: _omitted, ...changes } = body;
    await this.audit.record(originOf(request, principal), tenant.id, 'user.updated', { type: 'user', id: user.id }, {
      changes,
      passwordChanged: body.password !== undefined,
    });
    return userView(user);
  }

  @Delete(':id')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an end user and end their tokens and browser sessions' })
  @ApiProblems(404)
  async delete(@Param('slug') slug: string, @Param('id') id: string, @Principal() principal: AdminPrincipal, @Req() request: FastifyRequest): Promise<void> {
    const tenant = await this.tenants.get(slug);
    const user = await this.users.delete(tenant.id, id);
    await this.grants.revokeUser(tenant.id, user.id, 'user_deleted');
    await this.audit.record(originOf(request, principal), tenant.id, 'user.deleted', { type: 'user', id: user.id }, { username: user.username });
  }
}
