import { Controller, Header, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AuditService } from '@tessera/audit';
import { InvalidRequestError, readParams } from '@tessera/oauth-core';
import { AccessTokenService, TokenStatusService } from '@tessera/tokens';
import type { FastifyRequest } from 'fastify';
import { ClientAuthenticator } from './client-authenticator.js';
import { formBody } from './form-body.js';
import { TenantContextResolver } from './tenant-context.resolver.js';

/** RFC 7009: token revocation. */
@ApiExcludeController()
@Controller('t/:tenant/oauth2')
export class RevocationController {
  constructor(
    private readonly tenants: TenantContextResolver,
    private readonly clientAuthenticator: ClientAuthenticator,
    private readonly accessTokens: AccessTokenService,
    private readonly status: TokenStatusService,
    private readonly audit: AuditService,
  ) {}

  @Post('revoke')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async revoke(@Param('tenant') slug: string, @Req() request: FastifyRequest): Promise<void> {
    const body = formBody(request);
    const tenant = await this.tenants.resolve(slug);
    const client = await this.clientAuthenticator.authenticateConfidential(tenant, request.headers.authorization, body);
    const { token } = readParams(body, ['token', 'token_type_hint']);
    if (!token) throw new InvalidRequestError('token is required');
    const claims = await this.accessTokens.verify(tenant, token);
    // RFC 7009 section 2.2: an invalid or unknown token is not an error (the goal is reached).
    if (!claims) return;
    // RFC 7009 section 2.1: a client may revoke only the tokens issued to it.
    if (claims.client_id !== client.clientId) throw new InvalidRequestError('the token was not issued to this client');
    await this.status.revokeToken(tenant.id, claims);
    await this.audit.record(
      { actor: { type: 'client', id: client.clientId, label: null }, ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
      tenant.id,
      'token.revoked',
      { type: 'access_token', id: claims.jti },
      { clientId: claims.client_id, via: 'revocation_endpoint' },
    );
  }
}
