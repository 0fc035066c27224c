import { Body, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AuditService } from '@tessera/audit';
import { ClientsService } from '@tessera/clients';
import {
  grantQuerySchema,
  revokeTokensSchema,
  type GrantQuery,
  type GrantView,
  type Page,
  type RevokeTokensInput,
} from '@tessera/contracts';
import { TenantsService } from '@tessera/tenancy';
import { GrantRevocationService, RefreshTokenService, TokenStatusService } from '@tessera/tokens';
import { UsersService } from '@tessera/users';
import type { FastifyRequest } from 'fastify';
import { AdminApiController } from './admin-api.js';
import { Principal, type AdminPrincipal } from './admin-principal.js';
import { RequireRole } from './require-role.js';
import { ApiJsonBody, ApiProblems } from './openapi-schema.js';
import { originOf } from './request-origin.js';
import { grantView } from './views.js';
import { ZodValidationPipe } from './zod-validation.pipe.js';

const CLIENT_PAGE = 200;

@AdminApiController('tokens', '/tenants/:slug/tokens')
export class TokensController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly clients: ClientsService,
    private readonly users: UsersService,
    private readonly status: TokenStatusService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly grants: GrantRevocationService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @RequireRole('viewer')
  @ApiOperation({
    summary:
      'Live grants (refresh-token families), optionally of one client (public clientId; 404 if unknown) or one user. ' +
      'Access tokens are stateless JWTs and are not listed one by one: client_credentials tokens, and user tokens of ' +
      'grants without a refresh token, do not appear here; revoke them by jti, client or user.',
  })
  @ApiProblems(400, 404)
  async list(@Param('slug') slug: string, @Query(new ZodValidationPipe(grantQuerySchema, 'query')) query: GrantQuery): Promise<Page<GrantView>> {
    const tenant = await this.tenants.get(slug);
    const { limit, cursor, clientId, userId } = query;
    const client = clientId === undefined ? undefined : await this.clients.get(tenant.id, clientId);
    const result = await this.refreshTokens.listLive(tenant.id, { clientRef: client?.id, userId }, { limit, cursor });
    const names = client
      ? new Map([[client.id, client.clientId]])
      : await this.publicClientIds(tenant.id, new Set(result.items.map((f) => f.clientRef)));
    return { items: result.items.map((f) => grantView(f, names.get(f.clientRef) ?? '')), next: result.next };
  }

  @Post('revoke')
  @RequireRole('admin')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Revoke one access token by jti, one grant by grantId (its refresh tokens and access tokens), or every token ' +
      'of a client or of a user (refresh tokens included)',
  })
  @ApiJsonBody(revokeTokensSchema)
  @ApiProblems(400, 404)
  async revoke(
    @Param('slug') slug: string,
    @Body(new ZodValidationPipe(revokeTokensSchema)) body: RevokeTokensInput,
    @Principal() principal: AdminPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<{ revoked: true }> {
    const tenant = await this.tenants.get(slug);
    let target: { type: string; id: string };
    let details: Record<string, unknown> = {};
    if ('jti' in body) {
      await this.status.revokeJti(tenant.id, body.jti);
      target = { type: 'access_token', id: body.jti };
    } else if ('grantId' in body) {
      // No 404 for an id without a refresh family: a code-flow grant without offline_access has
      // access tokens carrying its `gid` but no family, and revoking it must still reach them.
      await this.grants.revokeGrant(tenant.id, body.grantId, 'admin_revoked');
      target = { type: 'grant', id: body.grantId };
    } else if ('clientId' in body) {
      const client = await this.clients.get(tenant.id, body.clientId);
      const revoked = await this.grants.revokeClient(tenant.id, { ref: client.id, clientId: client.clientId }, 'admin_revoked');
      target = { type: 'client', id: body.clientId };
      details = { revokedGrants: revoked.length };
    } else {
      await this.users.get(tenant.id, body.userId);
      const revoked = await this.grants.revokeUser(tenant.id, body.userId, 'admin_revoked');
      target = { type: 'user', id: body.userId };
      details = { revokedGrants: revoked.length };
    }
    await this.audit.record(originOf(request, principal), tenant.id, 'token.revoked', target, { via: 'admin_api', ...details });
    return { revoked: true };
  }

  /**
   * Public client ids of the given client rows. Families point at the row id; the client port has
   * no look-up by row id, so this reads the tenant's clients page by page until all are found.
   */
  private async publicClientIds(tenantId: string, refs: Set<string>): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    let cursor: string | undefined;
    while (found.size < refs.size) {
      const page = await this.clients.list(tenantId, { limit: CLIENT_PAGE, cursor });
      for (const c of page.items) if (refs.has(c.id)) found.set(c.id, c.clientId);
      if (page.next === null) break;
      cursor = page.next;
    }
    return found;
  }
}
