import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '@tessera/clock';
import { KeysService } from '@tessera/keys';
import type { TenantContext } from '@tessera/oauth-core';
import { decodeJwt, signEs256Jwt, verifyEs256 } from './jwt.js';

/** RFC 9068 section 2.2 claims of our access tokens. */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  client_id: string;
  scope: string;
  jti: string;
  iat: number;
  exp: number;
  auth_time?: number;
  /** Private claim: the grant (refresh family / code redemption) this token belongs to, for revocation. */
  gid?: string;
}

export interface MintRequest {
  tenant: TenantContext;
  clientId: string;
  subject: string;
  scopes: readonly string[];
  ttlSeconds: number;
  authTime?: number;
  /** Set in advance when a replayed code must be able to revoke this very token. */
  jti?: string;
  grantId?: string;
}

export interface MintedAccessToken {
  token: string;
  claims: AccessTokenClaims;
}

/** Leeway for clocks of other processes when checking `iat` of our own tokens. */
const IAT_LEEWAY_S = 60;
/** Verified tokens remembered per process (oldest evicted first). */
const VERIFIED_CACHE_SIZE = 10_000;

@Injectable()
export class AccessTokenService {
  private readonly verified = new Map<string, { claims: AccessTokenClaims; until: number }>();

  constructor(
    private readonly keys: KeysService,
    private readonly clock: Clock,
  ) {}

  async mint(request: MintRequest): Promise<MintedAccessToken> {
    const signer = await this.keys.signer(request.tenant.id);
    const iat = Math.floor(this.clock.now() / 1000);
    const claims: AccessTokenClaims = {
      iss: request.tenant.issuer,
      sub: request.subject,
      aud: request.tenant.audience,
      client_id: request.clientId,
      scope: request.scopes.join(' '),
      jti: request.jti ?? newJti(),
      iat,
      exp: iat + request.ttlSeconds,
    };
    if (request.authTime !== undefined) claims.auth_time = request.authTime;
    if (request.grantId !== undefined) claims.gid = request.grantId;
    // RFC 9068 section 2.1: typ MUST be "at+jwt".
    const token = signEs256Jwt({ alg: signer.alg, typ: 'at+jwt', kid: signer.kid }, { ...claims }, signer.privateKey);
    return { token, claims };
  }

  /**
   * Verifies one of this tenant's access tokens: signature by a published key of the tenant, header
   * `typ`, issuer and lifetime. Revocation is checked by the caller (TokenStatusService). Null for
   * anything else: a token of another tenant, a forged or expired one, or garbage.
   */
  async verify(tenant: TenantContext, token: string): Promise<AccessTokenClaims | null> {
    // Resource servers introspect the same token many times: a signature already checked for this
    // tenant is not checked again while the token lives (revocation is still checked every time).
    const cacheKey = `${tenant.id} ${token}`;
    const known = this.verified.get(cacheKey);
    if (known) {
      if (known.until > this.clock.now()) return known.claims;
      this.verified.delete(cacheKey);
    }
    const result = await this.verifyUncached(tenant, token);
    if (!result) return null;
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    // Until the token expires, or its key leaves the JWKS, whichever comes first.
    const until = Math.min(result.claims.exp * 1000, result.publishUntil ?? Number.POSITIVE_INFINITY);
    this.verified.set(cacheKey, { claims: result.claims, until });
    return result.claims;
  }

  private async verifyUncached(
    tenant: TenantContext,
    token: string,
  ): Promise<{ claims: AccessTokenClaims; publishUntil: number | null } | null> {
    const decoded = decodeJwt(token);
    if (!decoded) return null;
    const { header, payload } = decoded;
    if (header['alg'] !== 'ES256' || typeof header['kid'] !== 'string') return null;
    const typ = typeof header['typ'] === 'string' ? header['typ'].toLowerCase() : '';
    if (typ !== 'at+jwt' && typ !== 'application/at+jwt') return null;
    const key = await this.keys.publishedKey(tenant.id, header['kid']);
    // Access tokens are ES256 only: the tenant's RS256 key signs ID tokens, never these.
    if (!key || key.alg !== 'ES256' || !verifyEs256(decoded, key.publicKey)) return null;
    if (!isAccessTokenClaims(payload) || payload.iss !== tenant.issuer) return null;
    const now = this.clock.now() / 1000;
    if (payload.exp <= now || payload.iat > now + IAT_LEEWAY_S) return null;
    return { claims: payload, publishUntil: key.publishUntil };
  }
}

/** 122 random bits; randomUUID draws from a pooled buffer, a fresh randomBytes call per token does not. */
export function newJti(): string {
  return randomUUID();
}

function isAccessTokenClaims(p: Record<string, unknown>): p is Record<string, unknown> & AccessTokenClaims {
  return (
    typeof p['iss'] === 'string' &&
    typeof p['sub'] === 'string' &&
    typeof p['client_id'] === 'string' &&
    typeof p['scope'] === 'string' &&
    typeof p['jti'] === 'string' &&
    Number.isInteger(p['iat']) &&
    Number.isInteger(p['exp']) &&
    (typeof p['aud'] === 'string' || Array.isArray(p['aud'])) &&
    (p['gid'] === undefined || typeof p['gid'] === 'string')
  );
}
