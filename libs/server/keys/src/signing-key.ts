import type { JsonWebKey } from 'node:crypto';

/**
 * Every tenant has one active key of each: ES256 signs access tokens (and ID tokens of clients that
 * ask for it), RS256 signs ID tokens of the others (OIDC Core 15.1: RS256 is mandatory to implement).
 */
export const SIGNING_ALGORITHMS = ['ES256', 'RS256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export interface SigningKey {
  id: string;
  tenantId: string;
  kid: string;
  alg: SigningAlgorithm;
  /** Public JWK (RFC 7517) as published in the JWKS. */
  publicJwk: JsonWebKey;
  /** PKCS#8 DER of the private key, sealed with AES-256-GCM (see KeyEncryption). */
  privateKeySealed: Buffer;
  status: 'active' | 'retired';
  createdAt: Date;
  retiredAt: Date | null;
  /** A retired key stays in the JWKS until this instant: the expiry of the last token it signed. */
  publishUntil: Date | null;
}

export type NewSigningKey = Omit<SigningKey, 'id' | 'createdAt'>;
