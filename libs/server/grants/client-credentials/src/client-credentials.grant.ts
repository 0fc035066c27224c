import { Injectable } from '@nestjs/common';
import {
  checkScope,
  parseScope,
  UnauthorizedClientError,
  type GrantContext,
  type GrantHandler,
  type TokenResponse,
} from '@tessera/oauth-core';
import { AccessTokenService } from '@tessera/tokens';

/** Scopes about a person; a client acting for itself has no person to speak of. */
const USER_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/**
 * RFC 6749 section 4.4: a confidential client obtains an access token for itself. No refresh token
 * (section 4.4.3: SHOULD NOT be included).
 */
@Injectable()
export class ClientCredentialsGrant implements GrantHandler<'scope'> {
  readonly grantType = 'client_credentials';
  readonly parameters = ['scope'] as const;

  constructor(private readonly accessTokens: AccessTokenService) {}

  async handle({ tenant, client, params }: GrantContext<'scope'>): Promise<TokenResponse> {
    if (client.type !== 'confidential') {
      throw new UnauthorizedClientError('client_credentials is for confidential clients only');
    }
    if (!client.grantTypes.includes(this.grantType)) {
      throw new UnauthorizedClientError('the client is not allowed to use the client_credentials grant');
    }
    const allowed = client.scopes.filter((s) => !USER_SCOPES.has(s));
    // With no scope requested, the client gets every scope it is allowed (RFC 6749 section 3.3 default).
    const scopes = checkScope(parseScope(params.scope), allowed, allowed);
    const { token } = await this.accessTokens.mint({
      tenant,
      clientId: client.clientId,
      subject: client.clientId,
      scopes,
      ttlSeconds: client.accessTokenTtl,
    });
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: client.accessTokenTtl,
      ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
    };
  }
}
