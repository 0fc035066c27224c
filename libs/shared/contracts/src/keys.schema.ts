export interface SigningKeyView {
  kid: string;
  alg: string;
  status: 'active' | 'retired';
  createdAt: string;
  retiredAt: string | null;
  /** A retired key stays in the JWKS until the tokens it signed have expired. */
  publishedUntil: string | null;
}
