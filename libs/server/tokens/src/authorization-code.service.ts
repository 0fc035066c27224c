import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ShortLivedStateStore } from '@tessera/short-lived-state';
import { hashToken } from './refresh-token.service.js';

/** CONTRACT.md: codes live at most 60 s (RFC 6749 section 4.1.2 recommends at most 10 minutes). */
export const AUTHORIZATION_CODE_TTL_MS = 60_000;

/** Everything a code is bound to (RFC 6749 section 4.1.3, RFC 7636 section 4.6, OIDC Core 3.1.3.2). */
export interface AuthorizationCodeGrant {
  clientId: string;
  redirectUri: string;
  /** Whether redirect_uri was in the authorization request; then it must be repeated at the token endpoint. */
  redirectUriGiven: boolean;
  codeChallenge: string;
  scopes: string[];
  nonce?: string;
  userId: string;
  /** Seconds since the epoch. */
  authTime: number;
  /** The user's sessionVersion at that sign-in: the code dies with it (absent in codes of older releases). */
  sessionVersion?: number;
  consentId?: string;
}

/** What a redeemed code turned into, kept so that a replay can revoke it all. */
export interface RedeemedCode {
  /** The `gid` of the access tokens and the id of the refresh family. */
  grantId: string;
}

/**
 * Opaque single-use codes in the short-lived-state store, keyed by their SHA-256 so that a dump of
 * the store yields no usable code. Redemption is an atomic take: of two concurrent redemptions, one
 * wins. The winner leaves a "redeemed" record, so a later replay can revoke what the code produced.
 */
@Injectable()
export class AuthorizationCodeService {
  constructor(private readonly store: ShortLivedStateStore) {}

  async issue(tenantId: string, grant: AuthorizationCodeGrant): Promise<string> {
    const code = randomBytes(32).toString('base64url');
    await this.store.put(this.key(tenantId, code), JSON.stringify(grant), AUTHORIZATION_CODE_TTL_MS);
    return code;
  }

  /** The code's grant, once; null for an unknown, expired or already redeemed code. */
  async take(tenantId: string, code: string): Promise<AuthorizationCodeGrant | null> {
    if (code.length > 256) return null;
    const value = await this.store.take(this.key(tenantId, code));
    return value === null ? null : (JSON.parse(value) as AuthorizationCodeGrant);
  }

  async markRedeemed(tenantId: string, code: string, redeemed: RedeemedCode, ttlMs: number): Promise<void> {
    await this.store.put(this.redeemedKey(tenantId, code), JSON.stringify(redeemed), Math.max(ttlMs, 1));
  }

  async redeemed(tenantId: string, code: string): Promise<RedeemedCode | null> {
    if (code.length > 256) return null;
    const value = await this.store.get(this.redeemedKey(tenantId, code));
    return value === null ? null : (JSON.parse(value) as RedeemedCode);
  }

  private key(tenantId: string, code: string): string {
    return `code:${tenantId}:${hashToken(code).toString('base64url')}`;
  }

  private redeemedKey(tenantId: string, code: string): string {
    return `code-redeemed:${tenantId}:${hashToken(code).toString('base64url')}`;
  }
}
