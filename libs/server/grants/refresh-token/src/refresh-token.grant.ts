import { Injectable } from '@nestjs/common';
import { AuditService } from '@tessera/audit';
import {
  checkScope,
  InvalidGrantError,
  InvalidRequestError,
  parseScope,
  UnauthorizedClientError,
  type GrantContext,
  type GrantHandler,
  type TokenResponse,
} from '@tessera/oauth-core';
import { GrantableScopesPolicy } from '@tessera/tenancy';
import { RefreshTokenService, TokenStatusService, UserTokenIssuer } from '@tessera/tokens';
import { UsersService } from '@tessera/users';

type Param = 'refresh_token' | 'scope';

/**
 * RFC 6749 section 6 with RFC 9700 section 4.14.2: every use rotates the refresh token; a rotated-out
 * token presented again revokes the whole family and every access token it produced. The scope may
 * narrow, never widen.
 */
@Injectable()
export class RefreshTokenGrant implements GrantHandler<Param> {
  readonly grantType = 'refresh_token';
  readonly parameters = ['refresh_token', 'scope'] as const;

  constructor(
    private readonly refreshTokens: RefreshTokenService,
    private readonly status: TokenStatusService,
    private readonly issuer: UserTokenIssuer,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly grantable: GrantableScopesPolicy,
  ) {}

  async handle({ tenant, client, params, meta }: GrantContext<Param>): Promise<TokenResponse> {
    if (!client.grantTypes.includes(this.grantType)) {
      throw new UnauthorizedClientError('the client is not allowed to use the refresh_token grant');
    }
    if (!params.refresh_token) throw new InvalidRequestError('refresh_token is required');
    // Checked before rotating, so a widening request does not burn the token.
    const family = await this.refreshTokens.findFamily(tenant.id, params.refresh_token);
    const requested = parseScope(params.scope);
    if (family && family.clientRef === client.ref) checkScope(requested, family.scopes, family.scopes);

    const { outcome, next } = await this.refreshTokens.rotate(tenant.id, client.ref, params.refresh_token, client.refreshTokenIdleTtl);
    if (outcome.outcome === 'reused') {
      await this.status.revokeGrant(tenant.id, outcome.family.id);
      await this.audit.record(
        { actor: { type: 'client', id: client.clientId, label: null }, ip: meta.ip, userAgent: meta.userAgent },
        tenant.id,
        'token.revoked',
        { type: 'grant', id: outcome.family.id },
        { reason: 'refresh_token_reuse', userId: outcome.family.userId },
      );
      throw new InvalidGrantError('the refresh token was already used; its grant is revoked');
    }
    if (outcome.outcome === 'invalid') throw new InvalidGrantError('the refresh token is invalid, expired or revoked');

    const { family: live } = outcome;
    const scopes = checkScope(requested, live.scopes, live.scopes);
    const user = live.userId ? await this.users.find(tenant.id, live.userId) : null;
    if (!user || user.disabled) {
      await this.refreshTokens.revokeFamily(tenant.id, live.id, 'user_gone');
      throw new InvalidGrantError('the user of this grant no longer exists or is disabled');
    }
    return this.issuer.issue({
      tenant,
      client,
      userId: user.id,
      // A platform admin who lost the role keeps the grant, but not platform:admin (RFC 6749 section 3.3).
      scopes: await this.grantable.grantable(tenant, user.id, scopes),
      authTime: Math.floor((live.authTime ?? live.createdAt).getTime() / 1000),
      grantId: live.id,
      refresh: { rotated: next },
    });
  }
}
