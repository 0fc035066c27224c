import type { JsonWebKey } from 'node:crypto';

export type SigningAlgorithm = 'ES256';

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
