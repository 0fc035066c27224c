import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '@tessera/clock';
import type { IdTokenSigningAlg } from '@tessera/contracts';
import { KeysService } from '@tessera/keys';
import type { TenantContext } from '@tessera/oauth-core';
import { decodeJwt, signEs256Jwt, signRs256Jwt, verifyEs256, verifyRs256 } from './jwt.js';

/** ID tokens live briefly: they prove a sign-in to the client, they are not credentials. */
export const ID_TOKEN_TTL_S = 600;

export interface IdTokenRequest {
  tenant: TenantContext;
  clientId: string;
  /** The client's id_token_signed_response_alg: signed with the tenant's active key of it. */
  alg: IdTokenSigningAlg;
  subject: string;
  /** Seconds since the epoch. */
  authTime: number;
  nonce?: string;
  accessToken?: string;
  /** Extra claims (e.g. email) when no userinfo call is expected. */
  claims?: Record<string, unknown>;
}

/** OpenID Connect Core section 2 ID tokens, signed with the tenant's key of the client's algorithm. */
@Injectable()
export class IdTokenService {
  constructor(
    private readonly keys: KeysService,
    private readonly clock: Clock,
  ) {}

  async mint(request: IdTokenRequest): Promise<string> {
    const signer = await this.keys.signer(request.tenant.id, request.alg);
    const iat = Math.floor(this.clock.now() / 1000);
    const payload: Record<string, unknown> = {
      ...request.claims,
      iss: request.tenant.issuer,
      sub: request.subject,
      aud: request.clientId,
      azp: request.clientId,
      iat,
      exp: iat + ID_TOKEN_TTL_S,
      auth_time: request.authTime,
    };
    if (request.nonce !== undefined) payload['nonce'] = request.nonce;
    // at_hash uses the hash of the JWS algorithm: SHA-256 for both RS256 and ES256.
    if (request.accessToken !== undefined) payload['at_hash'] = leftHalfHash(request.accessToken);
    const header = { alg: signer.alg, typ: 'JWT', kid: signer.kid };
    return signer.alg === 'RS256' ? signRs256Jwt(header, payload, signer.privateKey) : signEs256Jwt(header, payload, signer.privateKey);
  }

  /**
   * Reads an id_token_hint (OIDC RP-Initiated Logout 1.0 section 2): a token we issued, by its
   * signature and issuer; an expired one is still accepted as a hint. Null when it is not ours.
   */
  async readHint(tenant: TenantContext, token: string): Promise<{ sub: string; aud: string } | null> {
    const decoded = decodeJwt(token);
    const alg = decoded?.header['alg'];
    if (!decoded || (alg !== 'ES256' && alg !== 'RS256')) return null;
    const key = typeof decoded.header['kid'] === 'string' ? await this.keys.publishedKey(tenant.id, decoded.header['kid']) : null;
    if (!key || key.alg !== alg) return null;
    if (!(alg === 'RS256' ? verifyRs256(decoded, key.publicKey) : verifyEs256(decoded, key.publicKey))) return null;
    const { iss, sub, aud } = decoded.payload;
    if (iss !== tenant.issuer || typeof sub !== 'string' || typeof aud !== 'string') return null;
    return { sub, aud };
  }
}

/** OIDC Core section 3.1.3.6: at_hash is the left half of SHA-256 of the access token, base64url. */
export function leftHalfHash(value: string): string {
  const digest = createHash('sha256').update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
