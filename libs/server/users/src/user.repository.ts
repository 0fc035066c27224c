import type { Page } from '@tessera/contracts';
import type { NewUser, User, UserPatch } from './user.js';

/** Storage port for end users. Every method takes the tenant id. */
export abstract class UserRepository {
  /** Inserts; throws ConflictError when the username is taken in the tenant (case-insensitively). */
  abstract create(user: NewUser): Promise<User>;
  abstract findById(tenantId: string, id: string): Promise<User | null>;
  abstract findByUsername(tenantId: string, username: string): Promise<User | null>;
  abstract list(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<User>>;
  abstract update(tenantId: string, id: string, patch: UserPatch): Promise<User | null>;
  abstract delete(tenantId: string, id: string): Promise<boolean>;
}
