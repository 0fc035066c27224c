import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id` of @node-rs/argon2 (an ambient const enum, which isolated modules cannot read). */
const ARGON2ID = 2;

/**
 * User passwords: argon2id (RFC 9106) with the OWASP-recommended minimum of 19 MiB memory, 2 passes.
 * Verification is constant-time inside the library.
 */
export class PasswordHasher {
  private static readonly OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
  private dummy: Promise<string> | null = null;

  hash(password: string): Promise<string> {
    return hash(password, PasswordHasher.OPTIONS);
  }

  async verify(stored: string, password: string): Promise<boolean> {
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  }

  /** Spends one verification's work for an unknown user, so timing does not reveal which names exist. */
  async verifyNothing(password: string): Promise<false> {
    this.dummy ??= this.hash('tessera-dummy-password');
    await this.verify(await this.dummy, password);
    return false;
  }
}
