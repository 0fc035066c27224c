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
  createdAt: Date;
  updatedAt: Date;
}

export type NewUser = Omit<User, 'id' | 'createdAt' | 'updatedAt'>;
export type UserPatch = Partial<Pick<User, 'email' | 'emailVerified' | 'name' | 'passwordHash' | 'disabled'>>;
