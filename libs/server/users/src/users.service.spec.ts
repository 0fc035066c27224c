import { randomUUID } from 'node:crypto';
import type { Page } from '@tessera/contracts';
import { signInStands, type NewUser, type User, type UserPatch } from './user.js';
import { UserRepository } from './user.repository.js';
import { UsersService } from './users.service.js';

const TENANT = 'tenant-1';

/** Just enough of a repository for the service: one tenant's users in a map. */
class MapUserRepository extends UserRepository {
  readonly users = new Map<string, User>();

  async create(user: NewUser): Promise<User> {
    const created: User = { ...user, id: randomUUID(), sessionVersion: 0, createdAt: new Date(), updatedAt: new Date() };
    this.users.set(created.id, created);
    return created;
  }

  async findById(tenantId: string, id: string): Promise<User | null> {
    const user = this.users.get(id);
    return user?.tenantId === tenantId ? user : null;
  }

  async findByUsername(tenantId: string, username: string): Promise<User | null> {
    return [...this.users.values()].find((u) => u.tenantId === tenantId && u.username === username) ?? null;
  }

  async list(): Promise<Page<User>> {
    return { items: [...this.users.values()], next: null };
  }

  async update(tenantId: string, id: string, patch: UserPatch): Promise<User | null> {
    const user = await this.findById(tenantId, id);
    if (!user) return null;
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const updated = { ...user, ...defined, updatedAt: new Date() };
    this.users.set(id, updated);
    return updated;
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    return (await this.findById(tenantId, id)) !== null && this.users.delete(id);
  }
}

function user(overrides: Partial<User> = {}): User {
  return {
    id: randomUUID(),
    tenantId: TENANT,
    username: 'ada',
    email: null,
    emailVerified: false,
    name: null,
    passwordHash: 'x',
    disabled: false,
    sessionVersion: 2,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...overrides,
  };
}

describe('signInStands', () => {
  it('holds for an enabled user still at the version of the sign-in', () => {
    expect(signInStands(user(), 2)).toBe(true);
  });

  it('fails for a deleted user, a disabled user, and a sign-in made at another version', () => {
    expect(signInStands(null, 2)).toBe(false);
    expect(signInStands(user({ disabled: true }), 2)).toBe(false);
    expect(signInStands(user(), 1)).toBe(false);
    expect(signInStands(user(), 3)).toBe(false);
  });

  it('counts a sign-in without a version (older sessions and codes) as version 0', () => {
    expect(signInStands(user({ sessionVersion: 0 }), undefined)).toBe(true);
    expect(signInStands(user({ sessionVersion: 1 }), undefined)).toBe(false);
  });
});

describe('UsersService: ending sign-ins', () => {
  let repository: MapUserRepository;
  let users: UsersService;
  let ada: User;

  beforeEach(async () => {
    repository = new MapUserRepository();
    users = new UsersService(repository);
    ada = await users.create(TENANT, { username: 'ada', password: 'a long enough password', emailVerified: false });
  });

  it('moves the session version on with a new password, and the old sign-in no longer stands', async () => {
    expect(await users.signedIn(TENANT, ada.id, 0)).toMatchObject({ id: ada.id });
    const changed = await users.update(TENANT, ada.id, { password: 'a different long password' });
    expect(changed.sessionVersion).toBe(1);
    expect(await users.signedIn(TENANT, ada.id, 0)).toBeNull();
    expect(await users.signedIn(TENANT, ada.id, 1)).toMatchObject({ id: ada.id });
  });

  it('moves it on when disabling, so re-enabling does not bring the old sign-ins back', async () => {
    await users.update(TENANT, ada.id, { disabled: true });
    expect(await users.signedIn(TENANT, ada.id, 0)).toBeNull();
    expect(await users.signedIn(TENANT, ada.id, 1)).toBeNull();
    const enabled = await users.update(TENANT, ada.id, { disabled: false });
    expect(enabled.sessionVersion).toBe(1);
    expect(await users.signedIn(TENANT, ada.id, 0)).toBeNull();
    expect(await users.signedIn(TENANT, ada.id, 1)).toMatchObject({ id: ada.id });
  });

  it('keeps sign-ins through changes of email, name or email_verified', async () => {
    const changed = await users.update(TENANT, ada.id, { email: 'ada@example.com', name: 'Ada', emailVerified: true });
    expect(changed.sessionVersion).toBe(0);
    expect(await users.signedIn(TENANT, ada.id, 0)).toMatchObject({ id: ada.id });
  });

  it('ends the sign-ins of a deleted user, and knows no sign-in of an unknown or malformed id', async () => {
    await users.delete(TENANT, ada.id);
    expect(await users.signedIn(TENANT, ada.id, 0)).toBeNull();
    expect(await users.signedIn(TENANT, randomUUID(), 0)).toBeNull();
    expect(await users.signedIn(TENANT, 'not-a-uuid', 0)).toBeNull();
  });

  it('does not accept a sign-in at another tenant', async () => {
    expect(await users.signedIn('tenant-2', ada.id, 0)).toBeNull();
  });
});
