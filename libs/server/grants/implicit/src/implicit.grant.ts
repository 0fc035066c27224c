import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuthenticatedClient, TenantContext } from '@tessera/oauth-core';
import { AccessTokenService } from '@tessera/tokens';

/**
 * RFC 6749 section 4.2, the implicit grant (`response_type=token`): the access token travels in the
 * redirect's fragment and no refresh token is issued (section 4.2.2). Legacy: RFC 9700 section 2.1.2
 * says SHOULD NOT, so it works only where the tenant switched it on and the client lists `implicit`.
 */
@Injectable()
export class ImplicitGrant {
  readonly grantType = 'implicit';

  constructor(private readonly accessTokens: AccessTokenService) {}

  allowed(tenant: TenantContext, client: { grantTypes: readonly string[] }): boolean {
    return tenant.settings.implicitGrantEnabled && client.grantTypes.includes(this.grantType);
  }

  /** The fragment parameters of the authorization response (section 4.2.2). */
  async respond(input: {
    tenant: TenantContext;
    client: AuthenticatedClient;
    scopes: readonly string[];
    userId: string;
    authTime: number;
  }): Promise<Record<string, string>> {
    const { token } = await this.accessTokens.mint({
      tenant: input.tenant,
      clientId: input.client.clientId,
      subject: input.userId,
      scopes: input.scopes,
      ttlSeconds: input.client.accessTokenTtl,
      authTime: input.authTime,
      grantId: randomUUID(),
    });
    const fragment: Record<string, string> = {
      access_token: token,
      token_type: 'Bearer',
      expires_in: String(input.client.accessTokenTtl),
    };
    if (input.scopes.length > 0) fragment['scope'] = input.scopes.join(' ');
    return fragment;
  }
}
