import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KeysService } from '@tessera/keys';
import type { TenantContext } from '@tessera/oauth-core';
import { Clock } from './clock.js';
import { decodeJwt, signEs256Jwt, verifyEs256 } from './jwt.js';

/** ID tokens live briefly: they prove a sign-in to the client, they are not credentials. */
export const ID_TOKEN_TTL_S = 600;

export interface IdTokenRequest {
  tenant: TenantContext;
  clientId: string;
  subject: string;
  /** Seconds since the epoch. */
  authTime: number;
  nonce?: string;
  accessToken?: string;
  /** Extra claims (e.g. email) when no userinfo call is expected. */
  claims?: Record<string, unknown>;
}

/** OpenID Connect Core section 2 ID tokens, signed with the tenant's key. */
@Injectable()
export class IdTokenService {
  constructor(
    private readonly keys: KeysService,
    private readonly clock: Clock,
  ) {}

  async mint(request: IdTokenRequest): Promise<string> {
    const signer = await this.keys.signer(request.tenant.id);
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
    if (request.accessToken !== undefined) payload['at_hash'] = leftHalfHash(request.accessToken);
    return signEs256Jwt({ alg: signer.alg, typ: 'JWT', kid: signer.kid }, payload, signer.privateKey);
  }

  /**
   * Reads an id_token_hint (OIDC RP-Initiated Logout 1.0 section 2): a token we issued, by its
   * signature and issuer; an expired one is still accepted as a hint. Null when it is not ours.
   */
  async readHint(tenant: TenantContext, token: string): Promise<{ sub: string; aud: string } | null> {
    const decoded = decodeJwt(token);
    if (!decoded || decoded.header['alg'] !== 'ES256') return null;
    const key = typeof decoded.header['kid'] === 'string' ? await this.keys.publishedKey(tenant.id, decoded.header['kid']) : null;
    if (!key || !verifyEs256(decoded, key.publicKey)) return null;
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
