import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '@tessera/clock';
import type { Page } from '@tessera/contracts';
import { RefreshTokenRepository, type FamilyFilter, type RefreshFamily, type RotateOutcome } from './refresh-token.repository.js';

/**
 * Opaque refresh tokens: 256 random bits, stored only as SHA-256 (a hash of a high-entropy random
 * value needs no salt or slow hash). They rotate on every use; a rotated-out token presented again
 * revokes its whole family.
 */
@Injectable()
export class RefreshTokenService {
  constructor(
    private readonly repository: RefreshTokenRepository,
    private readonly clock: Clock,
  ) {}

  /** A new family id, known before the first token exists (so a code replay can revoke it). */
  newFamilyId(): string {
    return randomUUID();
  }

  async issue(family: {
    id: string;
    tenantId: string;
    clientRef: string;
    userId: string | null;
    scopes: readonly string[];
    authTime: Date | null;
    lifetimeSeconds: number;
  }): Promise<{ token: string; family: RefreshFamily }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const created = await this.repository.createFamily(
      {
        id: family.id,
        tenantId: family.tenantId,
        clientRef: family.clientRef,
        userId: family.userId,
        scopes: [...family.scopes],
        authTime: family.authTime,
        lastUsedAt: new Date(now),
        expiresAt: new Date(now + family.lifetimeSeconds * 1000),
      },
      hashToken(token),
    );
    return { token, family: created };
  }

  /** `idleSeconds`: the client's idle lifetime; a family unused longer lapses (RFC 9700 section 4.14.2). */
  async rotate(tenantId: string, clientRef: string, presented: string, idleSeconds: number): Promise<{ outcome: RotateOutcome; next: string }> {
    const next = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const outcome = await this.repository.rotate(
      tenantId,
      clientRef,
      hashToken(presented),
      hashToken(next),
      new Date(now),
      new Date(now - idleSeconds * 1000),
    );
    return { outcome, next };
  }

  /**
   * The family of a refresh token that would be accepted now (for introspection): the family's
   * current token, not revoked, within its absolute lifetime and not idle past `idleSeconds`;
   * with the moment it stops being usable. Null for anything else.
   */
  async live(tenantId: string, token: string, idleSeconds: number): Promise<{ family: RefreshFamily; issuedAt: Date; expiresAt: Date } | null> {
    // Refresh tokens are 43 characters; anything much longer is not one of ours.
    if (token.length > 256) return null;
    const state = await this.repository.findTokenState(tenantId, hashToken(token));
    if (!state || !state.current || state.family.revokedAt !== null) return null;
    const idleEnd = state.family.lastUsedAt.getTime() + idleSeconds * 1000;
    const expiresAt = new Date(Math.min(state.family.expiresAt.getTime(), idleEnd));
    return expiresAt.getTime() > this.clock.now() ? { family: state.family, issuedAt: state.issuedAt, expiresAt } : null;
  }

  findFamily(tenantId: string, token: string): Promise<RefreshFamily | null> {
    return this.repository.findFamilyByToken(tenantId, hashToken(token));
  }

  revokeFamily(tenantId: string, familyId: string, reason: string): Promise<void> {
    return this.repository.revokeFamily(tenantId, familyId, reason, new Date(this.clock.now()));
  }

  revokeWhere(tenantId: string, filter: FamilyFilter, reason: string): Promise<string[]> {
    return this.repository.revokeWhere(tenantId, filter, reason, new Date(this.clock.now()));
  }

  listLive(tenantId: string, filter: FamilyFilter, page: { limit: number; cursor?: string }): Promise<Page<RefreshFamily>> {
    return this.repository.listLive(tenantId, filter, new Date(this.clock.now()), page);
  }
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
