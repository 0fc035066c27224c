import { ManualClock } from '@tessera/clock/testing';
import { InMemoryShortLivedStateStore, type ShortLivedStateStore } from '@tessera/short-lived-state';
import type { TenancyOptions } from '@tessera/tenancy';
import type { UsersService } from '@tessera/users';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, SessionService, type InteractionOptions } from './session.service.js';

const TENANT = { id: 'tenant-1', slug: 'acme' };

/** The part of the short-lived-state store sessions use, in a map (TTLs recorded, not enforced). */
class MapStore {
  readonly values = new Map<string, { value: string; ttlMs: number }>();
  async get(key: string): Promise<string | null> {
    return this.values.get(key)?.value ?? null;
  }
  async put(key: string, value: string, ttlMs: number): Promise<void> {
    this.values.set(key, { value, ttlMs });
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}

/** Users whose current session versions the test sets; a user absent from the map is deleted or disabled. */
class FakeUsers {
  readonly versions = new Map<string, number>();
  readonly asked: Array<{ tenantId: string; id: string; version: number | undefined }> = [];
  async signedIn(tenantId: string, id: string, version: number | undefined): Promise<{ id: string } | null> {
    this.asked.push({ tenantId, id, version });
    return this.versions.get(id) === (version ?? 0) ? { id } : null;
  }
}

function browser(): { reply: FastifyReply; request: () => FastifyRequest } {
  let cookie = '';
  const reply = {
    header(name: string, value: string) {
      if (name === 'Set-Cookie') cookie = value.split(';')[0]!;
      return reply;
    },
  };
  return { reply: reply as unknown as FastifyReply, request: () => ({ headers: { cookie } }) as unknown as FastifyRequest };
}

describe('SessionService: a session stands only while its sign-in does', () => {
  let store: MapStore;
  let users: FakeUsers;
  let sessions: SessionService;

  beforeEach(() => {
    store = new MapStore();
    users = new FakeUsers();
    sessions = new SessionService(
      store as unknown as ShortLivedStateStore,
      users as unknown as UsersService,
      { publicUrl: 'http://localhost:3000' } as TenancyOptions,
      { csrfKey: Buffer.alloc(32) } as InteractionOptions,
      new ManualClock(),
    );
  });

  it("records the user's session version at sign-in and checks it at every use", async () => {
    users.versions.set('ada', 3);
    const { reply, request } = browser();
    const started = await sessions.start(reply, TENANT, { id: 'ada', sessionVersion: 3 });
    expect(started.sessionVersion).toBe(3);
    expect(await sessions.current(request(), TENANT.id)).toMatchObject({ userId: 'ada', sessionVersion: 3 });
    expect(await sessions.current(request(), TENANT.id)).toMatchObject({ userId: 'ada' });
    expect(users.asked).toEqual([
      { tenantId: TENANT.id, id: 'ada', version: 3 },
      { tenantId: TENANT.id, id: 'ada', version: 3 },
    ]);
  });

  it('ends the session once the user has a new version (new password, disabled) or is gone', async () => {
    for (const change of [(): void => void users.versions.set('ada', 1), (): void => void users.versions.delete('ada')]) {
      users.versions.set('ada', 0);
      const { reply, request } = browser();
      await sessions.start(reply, TENANT, { id: 'ada', sessionVersion: 0 });
      expect(await sessions.current(request(), TENANT.id)).not.toBeNull();
      change();
      expect(await sessions.current(request(), TENANT.id)).toBeNull();
      expect(store.values.size).toBe(0);
      // Ended for good: the session does not come back if the version it was made at did.
      users.versions.set('ada', 0);
      expect(await sessions.current(request(), TENANT.id)).toBeNull();
    }
  });

  it('keeps sessions of other users, and of the same user signed in after the change', async () => {
    users.versions.set('ada', 0);
    users.versions.set('bob', 0);
    const [ada, bob] = [browser(), browser()];
    await sessions.start(ada.reply, TENANT, { id: 'ada', sessionVersion: 0 });
    await sessions.start(bob.reply, TENANT, { id: 'bob', sessionVersion: 0 });
    users.versions.set('ada', 1);
    expect(await sessions.current(ada.request(), TENANT.id)).toBeNull();
    expect(await sessions.current(bob.request(), TENANT.id)).toMatchObject({ userId: 'bob' });
    const again = browser();
    await sessions.start(again.reply, TENANT, { id: 'ada', sessionVersion: 1 });
    expect(await sessions.current(again.request(), TENANT.id)).toMatchObject({ userId: 'ada', sessionVersion: 1 });
  });

  it('checks a session stored by an older release (no version) as version 0', async () => {
    users.versions.set('ada', 0);
    const { reply, request } = browser();
    await sessions.start(reply, TENANT, { id: 'ada', sessionVersion: 0 });
    const [key, entry] = [...store.values.entries()][0]!;
    const { sessionVersion: _dropped, ...older } = JSON.parse(entry.value) as Record<string, unknown>;
    store.values.set(key, { ...entry, value: JSON.stringify(older) });
    expect(await sessions.current(request(), TENANT.id)).toMatchObject({ userId: 'ada' });
    expect(users.asked.at(-1)).toEqual({ tenantId: TENANT.id, id: 'ada', version: undefined });
    users.versions.set('ada', 1);
    expect(await sessions.current(request(), TENANT.id)).toBeNull();
  });
});

describe('SessionService: idle and absolute timeouts, on a clock the spec moves', () => {
  const SIGN_IN = Date.parse('2030-01-01T08:00:00.000Z');
  const MINUTE = 60_000;
  let clock: ManualClock;
  let store: InMemoryShortLivedStateStore;
  let sessions: SessionService;
  const ada = { id: 'ada', sessionVersion: 0 };

  beforeEach(() => {
    clock = new ManualClock(SIGN_IN);
    // The real in-process store on the same clock: its TTLs lapse as the clock moves.
    store = new InMemoryShortLivedStateStore({ clock });
    const users = new FakeUsers();
    users.versions.set('ada', 0);
    sessions = new SessionService(
      store,
      users as unknown as UsersService,
      { publicUrl: 'http://localhost:3000' } as TenancyOptions,
      { csrfKey: Buffer.alloc(32) } as InteractionOptions,
      clock,
    );
  });

  afterEach(async () => {
    await store.close();
  });

  it('ends a session after 30 idle minutes; every use starts the idle time again', async () => {
    const { reply, request } = browser();
    const started = await sessions.start(reply, TENANT, ada);
    expect(started.authTime).toBe(SIGN_IN / 1000);
    clock.advance(SESSION_IDLE_MS - 1);
    expect(await sessions.current(request(), TENANT.id)).toMatchObject({ userId: 'ada' });
    clock.advance(SESSION_IDLE_MS - 1);
    expect(await sessions.current(request(), TENANT.id)).toMatchObject({ userId: 'ada' });
    clock.advance(SESSION_IDLE_MS);
    expect(await sessions.current(request(), TENANT.id)).toBeNull();
  });

  it('ends a session 12 hours after sign-in however busy it is, keeping its auth_time until then', async () => {
    const { reply, request } = browser();
    await sessions.start(reply, TENANT, ada);
    while (clock.now() + 20 * MINUTE < SIGN_IN + SESSION_ABSOLUTE_MS) {
      clock.advance(20 * MINUTE);
      expect(await sessions.current(request(), TENANT.id)).toMatchObject({ userId: 'ada', authTime: SIGN_IN / 1000 });
    }
    clock.set(SIGN_IN + SESSION_ABSOLUTE_MS - 1);
    expect(await sessions.current(request(), TENANT.id)).toMatchObject({ userId: 'ada' });
    clock.advance(1);
    expect(await sessions.current(request(), TENANT.id)).toBeNull();
  });
});
