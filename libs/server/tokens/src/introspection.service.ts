import { Injectable } from '@nestjs/common';
import { ClientsService } from '@tessera/clients';
import type { TenantContext } from '@tessera/oauth-core';
import { AccessTokenService, type AccessTokenClaims } from './access-token.service.js';
import { TokenStatusService } from './token-status.service.js';

/** RFC 7662 section 2.2 response. */
export type IntrospectionResponse =
  | { active: false }
  | ({ active: true; token_type: 'Bearer' } & Pick<AccessTokenClaims, 'iss' | 'sub' | 'aud' | 'client_id' | 'scope' | 'jti' | 'iat' | 'exp'>);

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

  async introspect(tenant: TenantContext, token: string): Promise<IntrospectionResponse> {
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
