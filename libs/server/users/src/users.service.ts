import { Injectable } from '@nestjs/common';
import { isUuid, NotFoundError, type CreateUserInput, type Page, type UpdateUserInput } from '@tessera/contracts';
import { PasswordHasher } from './password.hasher.js';
import { signInStands, type User, type UserPatch } from './user.js';
import { UserRepository } from './user.repository.js';

@Injectable()
export class UsersService {
  readonly passwords = new PasswordHasher();

  constructor(private readonly repository: UserRepository) {}

  async create(tenantId: string, input: CreateUserInput): Promise<User> {
    return this.repository.create({
      tenantId,
      username: input.username,
      email: input.email ?? null,
      emailVerified: input.emailVerified,
      name: input.name ?? null,
      passwordHash: await this.passwords.hash(input.password),
      disabled: false,
    });
  }

  async get(tenantId: string, id: string): Promise<User> {
    const user = isUuid(id) ? await this.repository.findById(tenantId, id) : null;
    if (!user) throw new NotFoundError(`user ${id} does not exist in this tenant`);
    return user;
  }

  /** Null for an unknown id (no error): grants and userinfo treat a vanished user as an invalid grant. */
  find(tenantId: string, id: string): Promise<User | null> {
    return isUuid(id) ? this.repository.findById(tenantId, id) : Promise.resolve(null);
  }

  /**
   * The user of a sign-in (a browser session, an authorization code) made at `version`, or null when
   * that sign-in no longer stands: the user is gone, disabled, or has a new password since.
   */
  async signedIn(tenantId: string, id: string, version: number | undefined): Promise<User | null> {
    const user = await this.find(tenantId, id);
    return signInStands(user, version) ? user : null;
  }

  findByUsername(tenantId: string, username: string): Promise<User | null> {
    return this.repository.findByUsername(tenantId, username);
  }

  list(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<User>> {
    return this.repository.list(tenantId, page);
  }

  /** A new password or disabling also ends the user's sign-ins (a new sessionVersion). */
  async update(tenantId: string, id: string, input: UpdateUserInput): Promise<User> {
    const current = await this.get(tenantId, id);
    const endsSignIns = input.password !== undefined || input.disabled === true;
    const patch: UserPatch = {
      email: input.email,
      emailVerified: input.emailVerified,
      name: input.name,
      disabled: input.disabled,
      passwordHash: input.password === undefined ? undefined : await this.passwords.hash(input.password),
      sessionVersion: endsSignIns ? current.sessionVersion + 1 : undefined,
    };
    const updated = await this.repository.update(tenantId, id, patch);
    if (!updated) throw new NotFoundError(`user ${id} does not exist in this tenant`);
    return updated;
  }

  async delete(tenantId: string, id: string): Promise<User> {
    const user = await this.get(tenantId, id);
    await this.repository.delete(tenantId, id);
    return user;
  }

  /** Checks a username and password; null on any mismatch, with the same cost either way. */
  async checkPassword(tenantId: string, username: string, password: string): Promise<User | null> {
    const user = await this.repository.findByUsername(tenantId, username);
    if (!user) return this.passwords.verifyNothing(password).then(() => null);
    const ok = await this.passwords.verify(user.passwordHash, password);
    return ok && !user.disabled ? user : null;
  }
}
