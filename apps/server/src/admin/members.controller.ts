import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AuditService } from '@tessera/audit';
import {
  addMemberSchema,
  pageQuerySchema,
  updateMemberSchema,
  type AddMemberInput,
  type MemberView,
  type Page,
  type PageQuery,
  type UpdateMemberInput,
} from '@tessera/contracts';
import { MembersService, TenantsService } from '@tessera/tenancy';
import type { FastifyRequest } from 'fastify';
import { AdminApiController } from './admin-api.js';
import { Principal, type AdminPrincipal } from './admin-principal.js';
import { ApiJsonBody, ApiProblems } from './openapi-schema.js';
import { originOf } from './request-origin.js';
import { RequireRole } from './require-role.js';
import { memberView } from './views.js';
import { ZodValidationPipe } from './zod-validation.pipe.js';

/**
 * Admin users (users of tenant `admin`) and their role in one tenant. Owners only: the right to
 * hand out rights is the one an `admin` lacks. A tenant that has an owner always keeps one.
 */
@AdminApiController('members', '/tenants/:slug/members')
export class MembersController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly members: MembersService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @RequireRole('owner')
  @ApiOperation({ summary: 'List the admin users holding a role in this tenant' })
  @ApiProblems(400, 404)
  async list(@Param('slug') slug: string, @Query(new ZodValidationPipe(pageQuerySchema, 'query')) page: PageQuery): Promise<Page<MemberView>> {
    const tenant = await this.tenants.get(slug);
    const result = await this.members.list(tenant.id, page);
    return { items: result.items.map(memberView), next: result.next };
  }

  @Post()
  @RequireRole('owner')
  @ApiOperation({ summary: 'Give an admin user (by userId or username) a role in this tenant' })
  @ApiJsonBody(addMemberSchema)
  @ApiProblems(400, 404, 409)
  async add(
    @Param('slug') slug: string,
    @Body(new ZodValidationPipe(addMemberSchema)) body: AddMemberInput,
    @Principal() principal: AdminPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<MemberView> {
    const tenant = await this.tenants.get(slug);
    const member = await this.members.add(tenant, body);
    await this.audit.record(originOf(request, principal), tenant.id, 'member.added', { type: 'user', id: member.userId }, {
      username: member.username,
      role: member.role,
    });
    return memberView(member);
  }

  @Patch(':userId')
  @RequireRole('owner')
  @ApiOperation({ summary: "Change a member's role; the last owner cannot be demoted" })
  @ApiJsonBody(updateMemberSchema)
  @ApiProblems(400, 404, 409)
  async update(
    @Param('slug') slug: string,
    @Param('userId') userId: string,
    @Body(new ZodValidationPipe(updateMemberSchema)) body: UpdateMemberInput,
    @Principal() principal: AdminPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<MemberView> {
    const tenant = await this.tenants.get(slug);
    const { member, previousRole } = await this.members.changeRole(tenant, userId, body.role);
    await this.audit.record(originOf(request, principal), tenant.id, 'member.role_changed', { type: 'user', id: member.userId }, {
      username: member.username,
      role: member.role,
      previousRole,
    });
    return memberView(member);
  }

  @Delete(':userId')
  @HttpCode(204)
  @RequireRole('owner')
  @ApiOperation({ summary: "Take away a member's role; the last owner cannot be removed" })
  @ApiProblems(404, 409)
  async remove(
    @Param('slug') slug: string,
    @Param('userId') userId: string,
    @Principal() principal: AdminPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const tenant = await this.tenants.get(slug);
    const member = await this.members.remove(tenant, userId);
    await this.audit.record(originOf(request, principal), tenant.id, 'member.removed', { type: 'user', id: member.userId }, {
      username: member.username,
      role: member.role,
    });
  }
}
