import { Injectable } from '@nestjs/common';
import { AuditService } from '@tessera/audit';
import {
  InvalidGrantError,
  InvalidRequestError,
  UnauthorizedClientError,
  verifyPkceS256,
  type GrantContext,
  type GrantHandler,
  type TokenResponse,
} from '@tessera/oauth-core';
import {
  AuthorizationCodeService,
  newJti,
  GrantRevocationService,
  UserTokenIssuer,
  type AuthorizationCodeGrant as CodeGrant,
} from '@tessera/tokens';
import { UsersService } from '@tessera/users';
import { randomUUID } from 'node:crypto';

type Param = 'code' | 'redirect_uri' | 'code_verifier';

/**
 * RFC 6749 section 4.1.3 with RFC 7636: redeems a code once, for the client it was issued to, with
 * the same redirect URI and the PKCE verifier. A second redemption fails and revokes every token the
 * first one produced (RFC 6749 section 4.1.2).
 */
@Injectable()
export class AuthorizationCodeGrant implements GrantHandler<Param> {
  readonly grantType = 'authorization_code';
  readonly parameters = ['code', 'redirect_uri', 'code_verifier'] as const;

  constructor(
    private readonly codes: AuthorizationCodeService,
    private readonly issuer: UserTokenIssuer,
    private readonly grants: GrantRevocationService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  async handle({ tenant, client, params, meta }: GrantContext<Param>): Promise<TokenResponse> {
    if (!client.grantTypes.includes(this.grantType)) {
      throw new UnauthorizedClientError('the client is not allowed to use the authorization_code grant');
    }
    if (!params.code) throw new InvalidRequestError('code is required');
    const grant = await this.codes.take(tenant.id, params.code);
    if (!grant) {
      await this.revokeReplayed(tenant.id, params.code, client.clientId, meta);
      throw new InvalidGrantError('the code is invalid, expired or already used');
    }
    this.check(grant, client.clientId, params);
    // The sign-in the code came from must still stand: a user deleted, disabled or given a new
    // password since gets no tokens from it.
    if (!(await this.users.signedIn(tenant.id, grant.userId, grant.sessionVersion))) {
      throw new InvalidGrantError('the sign-in of this code has ended: its user was deleted, disabled or given a new password');
    }

    // Known before minting, so that a replay arriving during minting can still revoke it all.
    const grantId = randomUUID();
    const jti = newJti();
    await this.codes.markRedeemed(tenant.id, params.code, { grantId }, client.accessTokenTtl * 1000);
    return this.issuer.issue({
      tenant,
      client,
      userId: grant.userId,
      scopes: grant.scopes,
      authTime: grant.authTime,
      grantId,
      jti,
      nonce: grant.nonce,
      refresh: 'new',
    });
  }

  private check(grant: CodeGrant, clientId: string, params: Partial<Record<Param, string>>): void {
    if (grant.clientId !== clientId) throw new InvalidGrantError('the code was issued to another client');
    // RFC 6749 section 4.1.3: redirect_uri must be repeated, identical, when it was in the request.
    if (grant.redirectUriGiven ? params.redirect_uri !== grant.redirectUri : params.redirect_uri !== undefined && params.redirect_uri !== grant.redirectUri) {
      throw new InvalidGrantError('redirect_uri does not match the authorization request');
    }
    if (!params.code_verifier || !verifyPkceS256(params.code_verifier, grant.codeChallenge)) {
      throw new InvalidGrantError('the PKCE code_verifier does not match the code_challenge');
    }
  }

  private async revokeReplayed(tenantId: string, code: string, clientId: string, meta: GrantContext['meta']): Promise<void> {
    const redeemed = await this.codes.redeemed(tenantId, code);
    if (!redeemed) return;
    await this.grants.revokeGrant(tenantId, redeemed.grantId, 'authorization_code_replay');
    await this.audit.record(
      { actor: { type: 'client', id: clientId, label: null }, ip: meta.ip, userAgent: meta.userAgent },
      tenantId,
      'token.revoked',
      { type: 'grant', id: redeemed.grantId },
      { reason: 'authorization_code_replay' },
    );
  }
}
