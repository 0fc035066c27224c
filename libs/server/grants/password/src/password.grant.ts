import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@tessera/audit';
import { Clock } from '@tessera/clock';
import {
  checkScope,
  InvalidGrantError,
  InvalidRequestError,
  parseScope,
  RateLimitedError,
  UnauthorizedClientError,
  type GrantContext,
  type GrantHandler,
  type TokenResponse,
} from '@tessera/oauth-core';
import { GrantableScopesPolicy } from '@tessera/tenancy';
import { LoginProtection } from '@tessera/throttling';
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
    private readonly grantable: GrantableScopesPolicy,
    private readonly protection: LoginProtection,
    private readonly clock: Clock,
  ) {}

  async handle({ tenant, client, params, meta }: GrantContext<Param>): Promise<TokenResponse> {
    if (!tenant.settings.passwordGrantEnabled || !client.grantTypes.includes(this.grantType) || client.type !== 'confidential') {
      throw new UnauthorizedClientError('the password grant is not enabled for this client');
    }
    if (!params.username || !params.password) throw new InvalidRequestError('username and password are required');
    const scopes = checkScope(parseScope(params.scope), client.scopes, []);
    const origin = { actor: { type: 'client' as const, id: client.clientId, label: null }, ip: meta.ip, userAgent: meta.userAgent };
    // The login form's brute-force protection, shared with it: the same counters and locks.
    const attempt = { tenant, username: params.username, ip: meta.ip, origin, via: 'password_grant' };
    const lock = await this.protection.check(attempt);
    if (lock.locked) throw new RateLimitedError('too many failed sign-ins; retry later', lock.retryAfterSeconds);
    const user = await this.users.checkPassword(tenant.id, params.username, params.password);
    if (!user) {
      const after = await this.protection.failed(attempt);
      await this.audit.record(origin, tenant.id, 'user.sign_in_failed', { type: 'user', id: null }, {
        username: params.username.slice(0, 200),
        via: 'password_grant',
      });
      if (after.locked) throw new RateLimitedError('too many failed sign-ins; retry later', after.retryAfterSeconds);
      throw new InvalidGrantError('the username or password is wrong');
    }
    await this.protection.succeeded(attempt);
    await this.audit.record(origin, tenant.id, 'user.signed_in', { type: 'user', id: user.id }, { via: 'password_grant' });
    return this.issuer.issue({
      tenant,
      client,
      userId: user.id,
      scopes: await this.grantable.grantable(tenant, user.id, scopes),
      authTime: Math.floor(this.clock.now() / 1000),
      grantId: randomUUID(),
      refresh: 'new',
    });
  }
}
