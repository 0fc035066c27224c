import { Injectable } from '@nestjs/common';
import type { AuthenticatedClient, TenantContext, TokenResponse } from '@tessera/oauth-core';
import { AccessTokenService } from './access-token.service.js';
import { IdTokenService } from './id-token.service.js';
import { RefreshTokenService } from './refresh-token.service.js';

export interface UserTokenRequest {
  tenant: TenantContext;
  client: AuthenticatedClient;
  userId: string;
  scopes: readonly string[];
  /** Seconds since the epoch. */
  authTime: number;
  /** The grant the tokens belong to; a new refresh family takes this id. */
  grantId: string;
  jti?: string;
  nonce?: string;
  /** `new`: start a family if allowed; a string: the rotated refresh token to hand back; `none`: no refresh token. */
  refresh: 'new' | 'none' | { rotated: string };
}

/**
 * The token response of every grant that acts for a user (authorization code, refresh, password):
 * an access token bound to the grant, a refresh token when the client may have one and the scope
 * holds `offline_access` (CONTRACT.md; OIDC Core section 11), and an id_token with scope `openid`.
 */
@Injectable()
export class UserTokenIssuer {
  constructor(
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly idTokens: IdTokenService,
  ) {}

  async issue(request: UserTokenRequest): Promise<TokenResponse> {
    const { tenant, client, scopes } = request;
    const { token } = await this.accessTokens.mint({
      tenant,
      clientId: client.clientId,
      subject: request.userId,
      scopes,
      ttlSeconds: client.accessTokenTtl,
      authTime: request.authTime,
      jti: request.jti,
      grantId: request.grantId,
    });
    const response: TokenResponse = { access_token: token, token_type: 'Bearer', expires_in: client.accessTokenTtl };
    if (scopes.length > 0) response.scope = scopes.join(' ');
    if (typeof request.refresh === 'object') {
      response.refresh_token = request.refresh.rotated;
    } else if (request.refresh === 'new' && mayRefresh(client, scopes)) {
      const issued = await this.refreshTokens.issue({
        id: request.grantId,
        tenantId: tenant.id,
        clientRef: client.ref,
        userId: request.userId,
        scopes,
        authTime: new Date(request.authTime * 1000),
        lifetimeSeconds: client.refreshTokenTtl,
      });
      response.refresh_token = issued.token;
    }
    if (scopes.includes('openid')) {
      response.id_token = await this.idTokens.mint({
        tenant,
        clientId: client.clientId,
        alg: client.idTokenSignedResponseAlg,
        subject: request.userId,
        authTime: request.authTime,
        nonce: request.nonce,
        accessToken: token,
      });
    }
    return response;
  }
}

export function mayRefresh(client: AuthenticatedClient, scopes: readonly string[]): boolean {
  return client.grantTypes.includes('refresh_token') && scopes.includes('offline_access');
}
