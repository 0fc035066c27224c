import { randomUUID } from 'node:crypto';
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
import { UserTokenIssuer } from '@tessera/tokens';
import { UsersService } from '@tessera/users';

type Param = 'username' | 'password' | 'scope';

/**
 * RFC 6749 section 4.3, the resource owner password credentials grant. Legacy: RFC 9700 section 2.4
 * says it MUST NOT be used, so it works only where the tenant switched it on and the client lists
 * it in its grant types.
 */
@Injectable()
export class PasswordGrant implements GrantHandler<Param> {
  readonly grantType = 'password';
  readonly parameters = ['username', 'password', 'scope'] as const;

  constructor(
    private readonly users: UsersService,
    private readonly issuer: UserTokenIssuer,
    private readonly audit: AuditService,
  ) {}

  async handle({ tenant, client, params, meta }: GrantContext<Param>): Promise<TokenResponse> {
    if (!tenant.settings.passwordGrantEnabled || !client.grantTypes.includes(this.grantType) || client.type !== 'confidential') {
      throw new UnauthorizedClientError('the password grant is not enabled for this client');
    }
    if (!params.username || !params.password) throw new InvalidRequestError('username and password are required');
    const scopes = checkScope(parseScope(params.scope), client.scopes, []);
    const origin = { actor: { type: 'client' as const, id: client.clientId, label: null }, ip: meta.ip, userAgent: meta.userAgent };
    const user = await this.users.checkPassword(tenant.id, params.username, params.password);
    if (!user) {
      await this.audit.record(origin, tenant.id, 'user.sign_in_failed', { type: 'user', id: null }, {
        username: params.username.slice(0, 200),
        via: 'password_grant',
      });
      throw new InvalidGrantError('the username or password is wrong');
    }
    await this.audit.record(origin, tenant.id, 'user.signed_in', { type: 'user', id: user.id }, { via: 'password_grant' });
    return this.issuer.issue({
      tenant,
      client,
      userId: user.id,
      scopes,
      authTime: Math.floor(Date.now() / 1000),
      grantId: randomUUID(),
      refresh: 'new',
    });
  }
}
