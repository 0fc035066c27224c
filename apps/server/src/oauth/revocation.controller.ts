import { Controller, Header, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AuditService, type RequestOrigin } from '@tessera/audit';
import { InvalidRequestError, readParams, type AuthenticatedClient, type TenantContext } from '@tessera/oauth-core';
import { tokenRevoked } from '@tessera/observability';
import { AccessTokenService, GrantRevocationService, RefreshTokenService, TokenStatusService } from '@tessera/tokens';
import type { FastifyRequest } from 'fastify';
import { ClientAuthenticator } from './client-authenticator.js';
import { formBody } from './form-body.js';
import { TenantContextResolver } from './tenant-context.resolver.js';

/**
 * RFC 7009: token revocation, for access and refresh tokens. Public clients identify themselves with
 * client_id (section 2.1) and, like every client, may revoke only their own tokens.
 */
@ApiExcludeController()
@Controller('t/:tenant/oauth2')
export class RevocationController {
  constructor(
    private readonly tenants: TenantContextResolver,
    private readonly clientAuthenticator: ClientAuthenticator,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly status: TokenStatusService,
    private readonly grants: GrantRevocationService,
    private readonly audit: AuditService,
  ) {}

  @Post('revoke')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async revoke(@Param('tenant') slug: string, @Req() request: FastifyRequest): Promise<void> {
    const body = formBody(request);
    const tenant = await this.tenants.resolve(slug);
    const client = await this.clientAuthenticator.authenticate(tenant, request.headers.authorization, body);
    const { token, token_type_hint: hint } = readParams(body, ['token', 'token_type_hint']);
    if (!token) throw new InvalidRequestError('token is required');
    const origin: RequestOrigin = {
      actor: { type: 'client', id: client.clientId, label: null },
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
    };
    // The hint only orders the look-ups (section 2.1); both kinds are tried.
    const kinds = hint === 'refresh_token' ? (['refresh', 'access'] as const) : (['access', 'refresh'] as const);
    for (const kind of kinds) {
      const done = kind === 'access' ? await this.revokeAccess(tenant, client, token, origin) : await this.revokeRefresh(tenant, client, token, origin);
      if (done) return tokenRevoked.publish({ tenant, tokenType: kind === 'access' ? 'access_token' : 'refresh_token' });
    }
    // Section 2.2: an invalid or unknown token is not an error (the goal is reached).
    tokenRevoked.publish({ tenant, tokenType: 'none' });
  }

  private async revokeAccess(tenant: TenantContext, client: AuthenticatedClient, token: string, origin: RequestOrigin): Promise<boolean> {
    const claims = await this.accessTokens.verify(tenant, token);
    if (!claims) return false;
    // Section 2.1: a client may revoke only the tokens issued to it.
    if (claims.client_id !== client.clientId) throw new InvalidRequestError('the token was not issued to this client');
    await this.status.revokeToken(tenant.id, claims);
    await this.audit.record(origin, tenant.id, 'token.revoked', { type: 'access_token', id: claims.jti }, { via: 'revocation_endpoint' });
    return true;
  }

  private async revokeRefresh(tenant: TenantContext, client: AuthenticatedClient, token: string, origin: RequestOrigin): Promise<boolean> {
    if (token.length > 256) return false;
    const family = await this.refreshTokens.findFamily(tenant.id, token);
    if (!family) return false;
    if (family.clientRef !== client.ref) throw new InvalidRequestError('the token was not issued to this client');
    // Section 2.1: revoking a refresh token also revokes the access tokens of the same grant.
    await this.grants.revokeGrant(tenant.id, family.id, 'revoked_by_client');
    await this.audit.record(origin, tenant.id, 'token.revoked', { type: 'grant', id: family.id }, { via: 'revocation_endpoint' });
    return true;
  }
}
