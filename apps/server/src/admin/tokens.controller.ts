import { Body, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AuditService } from '@tessera/audit';
import { ClientsService } from '@tessera/clients';
import { TenantsService } from '@tessera/tenancy';
import { MAX_ACCESS_TOKEN_TTL_S, TokenStatusService } from '@tessera/tokens';
import { UsersService } from '@tessera/users';
import type { FastifyRequest } from 'fastify';
import { withoutControlCharacters } from '@tessera/contracts';
import { z } from 'zod';
import { AdminApiController } from './admin-api.js';
import { Principal, type AdminPrincipal } from './admin-principal.js';
import { ApiJsonBody, ApiProblems } from './openapi-schema.js';
import { originOf } from './request-origin.js';
import { ZodValidationPipe } from './zod-validation.pipe.js';

const revokeSchema = z.union([
  z.object({ jti: withoutControlCharacters(z.string().min(1).max(200)) }).strict(),
  z.object({ clientId: withoutControlCharacters(z.string().min(1).max(200)) }).strict(),
  z.object({ userId: z.string().uuid() }).strict(),
]);
type RevokeInput = z.infer<typeof revokeSchema>;

@AdminApiController('tokens', '/tenants/:slug/tokens')
export class TokensController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly clients: ClientsService,
    private readonly users: UsersService,
    private readonly status: TokenStatusService,
    private readonly audit: AuditService,
  ) {}

  @Post('revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke one token by jti, or every token of a client or of a user' })
  @ApiJsonBody(revokeSchema)
  @ApiProblems(400, 404)
  async revoke(
    @Param('slug') slug: string,
    @Body(new ZodValidationPipe(revokeSchema)) body: RevokeInput,
    @Principal() principal: AdminPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<{ revoked: true }> {
    const tenant = await this.tenants.get(slug);
    let target: { type: string; id: string };
    if ('jti' in body) {
      // The token itself is not at hand: keep the jti revoked as long as any access token can live.
      const exp = Math.floor(Date.now() / 1000) + MAX_ACCESS_TOKEN_TTL_S;
      await this.status.revokeToken(tenant.id, { jti: body.jti, exp });
      target = { type: 'access_token', id: body.jti };
    } else if ('clientId' in body) {
      await this.clients.get(tenant.id, body.clientId);
      await this.status.revokeAllOfClient(tenant.id, body.clientId);
      target = { type: 'client', id: body.clientId };
    } else {
      await this.users.get(tenant.id, body.userId);
      await this.status.revokeAllOfSubject(tenant.id, body.userId);
      target = { type: 'user', id: body.userId };
    }
    await this.audit.record(originOf(request, principal), tenant.id, 'token.revoked', target, { via: 'admin_api' });
    return { revoked: true };
  }
}
