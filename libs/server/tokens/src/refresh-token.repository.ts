import type { Page } from '@tessera/contracts';

/** A refresh-token family: one grant, followed through every rotation (RFC 9700 section 4.14.2). */
export interface RefreshFamily {
  id: string;
  tenantId: string;
  /** Internal id of the client row. */
  clientRef: string;
  userId: string | null;
  scopes: string[];
  authTime: Date | null;
  createdAt: Date;
  lastUsedAt: Date;
  /** Absolute end of the family, whatever the rotations. */
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
}

/** `lastUsedAt` is the moment of issue: the idle lifetime counts from it until the first rotation. */
export type NewRefreshFamily = Pick<RefreshFamily, 'id' | 'tenantId' | 'clientRef' | 'userId' | 'scopes' | 'authTime' | 'lastUsedAt' | 'expiresAt'>;

export type RotateOutcome =
  | { outcome: 'rotated'; family: RefreshFamily }
  /** A rotated-out token came back: the family is now revoked. */
  | { outcome: 'reused'; family: RefreshFamily }
  /** Unknown token, or its family is revoked, expired or idle too long. */
  | { outcome: 'invalid' };

/** One presented token: its family, whether it is the family's current token, and when it was issued. */
export interface RefreshTokenState {
  family: RefreshFamily;
  current: boolean;
  issuedAt: Date;
}

export interface FamilyFilter {
  clientRef?: string;
  userId?: string;
}

/** Storage port for refresh tokens: only SHA-256 hashes of the tokens are stored. */
export abstract class RefreshTokenRepository {
  abstract createFamily(family: NewRefreshFamily, tokenHash: Buffer): Promise<RefreshFamily>;
  /**
   * One atomic step: if `presented` is the family's current token, it is marked rotated and `next`
   * becomes current; if it was rotated out before, the whole family is revoked (reuse detection).
   * A family idle since before `idleCutoff` or past its absolute expiry is invalid.
   */
  abstract rotate(
    tenantId: string,
    clientRef: string,
    presented: Buffer,
    next: Buffer,
    now: Date,
    idleCutoff: Date,
  ): Promise<RotateOutcome>;
  /** The family of a token (current or rotated out), for revocation. */
  abstract findFamilyByToken(tenantId: string, tokenHash: Buffer): Promise<RefreshFamily | null>;
  /** A token with its family and whether it is still the current one, for introspection. */
  abstract findTokenState(tenantId: string, tokenHash: Buffer): Promise<RefreshTokenState | null>;
  abstract revokeFamily(tenantId: string, familyId: string, reason: string, at: Date): Promise<void>;
  /** Revokes every live family matching the filter; returns their ids. */
  abstract revokeWhere(tenantId: string, filter: FamilyFilter, reason: string, at: Date): Promise<string[]>;
  /** Live families (not revoked, not expired), newest first. */
  abstract listLive(tenantId: string, filter: FamilyFilter, now: Date, page: { limit: number; cursor?: string }): Promise<Page<RefreshFamily>>;
}
