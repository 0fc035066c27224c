import { applyDecorators, Controller, Delete, Get, Header, HttpCode, Param, Query, Req, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AuditService, type RequestOrigin } from '@tessera/audit';
import { ConsentsService, type ConsentWithClient } from '@tessera/consents';
import { NotFoundError, pageQuerySchema, type AccountConsentView, type Page, type PageQuery } from '@tessera/contracts';
import { BUILT_IN_SCOPE_DESCRIPTIONS, ScopesService } from '@tessera/tenancy';
import { GrantRevocationService } from '@tessera/tokens';
import type { FastifyRequest } from 'fastify';
import { PathParamPipe } from '../admin/path-param.pipe.js';
import { ZodValidationPipe } from '../admin/zod-validation.pipe.js';
import { AccountApiErrorFilter } from './account-api-error.filter.js';
import { AccountAuthGuard } from './account-auth.guard.js';
import { AccountUser, type AccountPrincipal } from './account-principal.js';

/** The end-user account API of a tenant: `${issuer}/account/v1` (CONTRACT.md, End-user account). */
function AccountApiController(path: string): ClassDecorator {
  return applyDecorators(
    ApiExcludeController(),
    Controller(`t/:tenant/account/v1/${path}`),
    UseGuards(AccountAuthGuard),
    UseFilters(AccountApiErrorFilter),
    UsePipes(PathParamPipe),
  );
}

/** The applications the signed-in user allowed, and withdrawing one of them. */
@AccountApiController('consents')
export class AccountConsentsController {
  constructor(
    private readonly consents: ConsentsService,
    private readonly scopes: ScopesService,
    private readonly grants: GrantRevocationService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async list(
    @AccountUser() user: AccountPrincipal,
    @Query(new ZodValidationPipe(pageQuerySchema, 'query')) page: PageQuery,
  ): Promise<Page<AccountConsentView>> {
    const result = await this.consents.list(user.tenant.id, { userId: user.userId }, page);
    const custom = await this.scopes.describe(user.tenant.id, [...new Set(result.items.flatMap((c) => c.scopes))]);
    const describe = (name: string): string => BUILT_IN_SCOPE_DESCRIPTIONS[name] ?? custom.get(name) ?? name;
    return { items: result.items.map((c) => accountConsentView(c, describe)), next: result.next };
  }

  @Delete(':id')
  @HttpCode(204)
  async withdraw(@AccountUser() user: AccountPrincipal, @Param('id') id: string, @Req() request: FastifyRequest): Promise<void> {
    const tenantId = user.tenant.id;
    const consent = await this.consents.get(tenantId, id);
    // Another user's consent is as unknown to this user as one that does not exist.
    if (consent.userId !== user.userId) throw new NotFoundError(`consent ${id} does not exist`);
    await this.consents.withdraw(tenantId, id);
    const grants = await this.grants.revokeUserAtClient(tenantId, { ref: consent.clientRef, clientId: consent.clientId }, user.userId, 'consent_withdrawn');
    const origin: RequestOrigin = {
      actor: { type: 'user', id: user.userId, label: null },
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
    };
    await this.audit.record(origin, tenantId, 'consent.withdrawn', { type: 'client', id: consent.clientId }, {
      consentId: consent.id,
      userId: consent.userId,
      scopes: consent.scopes,
      revokedGrants: grants.length,
      via: 'account_api',
    });
  }
}

function accountConsentView(c: ConsentWithClient, describe: (scope: string) => string): AccountConsentView {
  return {
    id: c.id,
    clientId: c.clientId,
    clientName: c.clientName,
    scopes: c.scopes.map((name) => ({ name, description: describe(name) })),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
  };
}
