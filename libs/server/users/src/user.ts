export interface User {
  id: string;
  tenantId: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  /** argon2id PHC string. */
  passwordHash: string;
  disabled: boolean;
  /**
   * Goes up by one with every change that must end the user's existing sign-ins: a new password, and
   * disabling. A browser session (and a code issued from it) carries the version it was signed in at
   * and stands only while that is still the user's version (see signInStands).
   */
  sessionVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A new user starts at sessionVersion 0. */
export type NewUser = Omit<User, 'id' | 'sessionVersion' | 'createdAt' | 'updatedAt'>;
export type UserPatch = Partial<Pick<User, 'email' | 'emailVerified' | 'name' | 'passwordHash' | 'disabled' | 'sessionVersion'>>;

/**
 * Whether a sign-in made at `version` of the user's sessionVersion still stands: the user exists, is
 * enabled, and has had no new password and no disabling since. Sign-ins recorded before versions
 * existed count as version 0, the version every user starts at.
 */
export function signInStands(user: User | null, version: number | undefined): user is User {
  return user !== null && !user.disabled && user.sessionVersion === (version ?? 0);
}
