import { Injectable } from '@nestjs/common';
import { ClientsService } from '@tessera/clients';
import type { TenantContext } from '@tessera/oauth-core';
import { tokenIntrospected } from '@tessera/observability';
import { AccessTokenService, type AccessTokenClaims } from './access-token.service.js';
import { RefreshTokenService } from './refresh-token.service.js';
import { TokenStatusService } from './token-status.service.js';

/** RFC 7662 section 2.2 response: an access token (token_type Bearer) or a refresh token (no token_type). */
export type IntrospectionResponse =
  | { active: false }
  | ({ active: true; token_type: 'Bearer' } & Pick<AccessTokenClaims, 'iss' | 'sub' | 'aud' | 'client_id' | 'scope' | 'jti' | 'iat' | 'exp'>)
  | ({ active: true } & Pick<AccessTokenClaims, 'iss' | 'client_id' | 'scope' | 'iat' | 'exp'> & { sub?: string });

/** The client asking (RFC 7662 section 2.1: the caller is authenticated). */
export interface IntrospectingClient {
  ref: string;
  clientId: string;
  refreshTokenIdleTtl: number;
}

/**
 * Decides whether an access token is live: its signature, issuer and lifetime (AccessTokenService),
 * no revocation (TokenStatusService), and its client still exists (a deleted client's tokens die
 * with it). Used by the introspection endpoint and by every endpoint that accepts bearer tokens.
 */
@Injectable()
export class IntrospectionService {
  constructor(
    private readonly accessTokens: AccessTokenService,
    private readonly status: TokenStatusService,
    private readonly clients: ClientsService,
    private readonly refreshTokens: RefreshTokenService,
  ) {}

  async activeClaims(tenant: TenantContext, token: string): Promise<AccessTokenClaims | null> {
    const claims = await this.accessTokens.verify(tenant, token);
    if (!claims) return null;
    const [revoked, client] = await Promise.all([
      this.status.isRevoked(tenant.id, claims),
      this.clients.find(tenant.id, claims.client_id),
    ]);
    return revoked || !client ? null : claims;
  }

  /**
   * RFC 7662 section 2.2. Both kinds are tried, the hint only orders them (section 2.1). A refresh
   * token is active only for the client it was issued to: it is that client's credential, and
   * telling another client that it is live would help whoever holds a stolen one.
   */
  async introspect(tenant: TenantContext, token: string, caller: IntrospectingClient, hint?: string): Promise<IntrospectionResponse> {
    const response = await this.answer(tenant, token, caller, hint);
    if (tokenIntrospected.active) tokenIntrospected.publish({ tenant, active: response.active });
    return response;
  }

  private async answer(tenant: TenantContext, token: string, caller: IntrospectingClient, hint?: string): Promise<IntrospectionResponse> {
    if (hint === 'refresh_token') return (await this.introspectRefresh(tenant, token, caller)) ?? this.introspectAccess(tenant, token);
    const access = await this.introspectAccess(tenant, token);
    return access.active ? access : ((await this.introspectRefresh(tenant, token, caller)) ?? access);
  }

  private async introspectRefresh(tenant: TenantContext, token: string, caller: IntrospectingClient): Promise<IntrospectionResponse | null> {
    // A JWT is never one of our refresh tokens (43 base64url characters): spare the database.
    if (token.includes('.')) return null;
    const live = await this.refreshTokens.live(tenant.id, token, caller.refreshTokenIdleTtl);
    if (!live || live.family.clientRef !== caller.ref) return null;
    return {
      active: true,
      iss: tenant.issuer,
      client_id: caller.clientId,
      ...(live.family.userId !== null && { sub: live.family.userId }),
      scope: live.family.scopes.join(' '),
      iat: Math.floor(live.issuedAt.getTime() / 1000),
      exp: Math.floor(live.expiresAt.getTime() / 1000),
    };
  }

  private async introspectAccess(tenant: TenantContext, token: string): Promise<IntrospectionResponse> {
    const claims = await this.activeClaims(tenant, token);
    if (!claims) return { active: false };
    return {
      active: true,
      token_type: 'Bearer',
      iss: claims.iss,
      sub: claims.sub,
      aud: claims.aud,
      client_id: claims.client_id,
      scope: claims.scope,
      jti: claims.jti,
      iat: claims.iat,
      exp: claims.exp,
    };
  }
}
