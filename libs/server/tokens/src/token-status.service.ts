import { Injectable } from '@nestjs/common';
import { Clock } from '@tessera/clock';
import { ShortLivedStateStore, STORE_DATA_LOST_AT_KEY } from '@tessera/short-lived-state';
import type { AccessTokenClaims } from './access-token.service.js';

/** The longest an access token may live (contracts cap accessTokenTtl at one day). */
export const MAX_ACCESS_TOKEN_TTL_S = 86_400;

/**
 * Revocation state of access tokens, kept in the short-lived-state store so every server process
 * sees it at once. A revoked `jti` lives there until the token's own expiry (RFC 7009 section 2.2);
 * "everything of this client (or user) issued before now" is one marker per client (or user), kept
 * as long as the longest token could live, so revoking thousands of tokens is one write.
 */
@Injectable()
export class TokenStatusService {
  constructor(
    private readonly store: ShortLivedStateStore,
    private readonly clock: Clock,
  ) {}

  async revokeToken(tenantId: string, claims: Pick<AccessTokenClaims, 'jti' | 'exp'>): Promise<void> {
    const ttlMs = claims.exp * 1000 - this.clock.now();
    if (ttlMs <= 0) return;
    await this.store.revoke(`${tenantId}:jti`, claims.jti, Math.ceil(ttlMs));
  }

  /** An access token known only by its `jti` (the admin API): its expiry is not at hand, so the longest one. */
  async revokeJti(tenantId: string, jti: string): Promise<void> {
    await this.revokeToken(tenantId, { jti, exp: Math.floor(this.clock.now() / 1000) + MAX_ACCESS_TOKEN_TTL_S });
  }

  async revokeAllOfClient(tenantId: string, clientId: string): Promise<void> {
    await this.markBefore(`${tenantId}:client:${clientId}`);
  }

  async revokeAllOfSubject(tenantId: string, subject: string): Promise<void> {
    await this.markBefore(`${tenantId}:sub:${subject}`);
  }

  /** Every token of one user at one client (a withdrawn consent). */
  async revokeAllOfClientSubject(tenantId: string, clientId: string, subject: string): Promise<void> {
    await this.markBefore(`${tenantId}:client-sub:${clientId}:${subject}`);
  }

  /** Every access token of one grant (a refresh family, a code): its `gid` claim. */
  async revokeGrant(tenantId: string, grantId: string): Promise<void> {
    await this.store.revoke(`${tenantId}:gid`, grantId, MAX_ACCESS_TOKEN_TTL_S * 1000);
  }

  /**
   * Whether a token that verified is still live (not revoked one by one or in bulk). Rejects (with
   * the store's StoreUnavailableError) when the store cannot answer: never "not revoked" by default.
   * A token issued before the store last lost its data counts as revoked, since its revocation may
   * have been among what was lost (fail closed; docs/adr/0006).
   */
  async isRevoked(tenantId: string, claims: AccessTokenClaims): Promise<boolean> {
    // Independent look-ups in one read (one MGET on a single Redis); optional ones go last.
    const clientSubject = claims.sub === claims.client_id ? [] : [`revoked-before:${tenantId}:client-sub:${claims.client_id}:${claims.sub}`];
    const grant = claims.gid === undefined ? [] : [[`${tenantId}:gid`, claims.gid] as const];
    const {
      values: [byClient = null, bySubject = null, dataLostAt = null, byClientSubject = null],
      revoked: [byJti = false, byGrant = false],
    } = await this.store.readMany({
      values: [`revoked-before:${tenantId}:client:${claims.client_id}`, `revoked-before:${tenantId}:sub:${claims.sub}`, STORE_DATA_LOST_AT_KEY, ...clientSubject],
      revocations: [[`${tenantId}:jti`, claims.jti], ...grant],
    });
    return (
      issuedBefore(claims, dataLostAt) ||
      byJti ||
      byGrant ||
      issuedBefore(claims, byClient) ||
      issuedBefore(claims, bySubject) ||
      issuedBefore(claims, byClientSubject)
    );
  }

  private async markBefore(scope: string): Promise<void> {
    // Whole seconds, like `iat`: a token issued in the same second as the revocation is revoked too.
    const now = Math.floor(this.clock.now() / 1000);
    await this.store.put(`revoked-before:${scope}`, String(now), MAX_ACCESS_TOKEN_TTL_S * 1000);
  }
}

function issuedBefore(claims: AccessTokenClaims, marker: string | null): boolean {
  return marker !== null && claims.iat <= Number(marker);
}
