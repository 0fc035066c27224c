import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RefreshTokenState, RotateOutcome } from '@tessera/tokens';
import type { DataSource } from 'typeorm';
import { newClient, newRefreshFamily, newTenant, newTokenHash, newUser, uniqueSlug } from '../testing/persistence-fixtures.js';
import { openRepositorySet } from '../testing/test-database.js';

/**
 * Reuse detection rests on the row lock rotate() takes on the presented token (RFC 9700 section
 * 4.14.2): of two refreshes of one token at the same moment, one rotates and the other must see a
 * rotated-out token, so the family dies. Against a real PostgreSQL, with both calls provably
 * waiting on the same lock before either runs.
 */
describe('TypeOrmRefreshTokenRepository.rotate under concurrency', () => {
  let repos: Awaited<ReturnType<typeof openRepositorySet>>;

  beforeAll(async () => {
    // Room for the lock holder and both contenders on connections of their own.
    repos = await openRepositorySet(6);
  });

  afterAll(async () => {
    await repos?.db.drop();
  });

  async function family() {
    const tenant = await repos.tenants.create(newTenant(uniqueSlug('race')));
    const client = await repos.clients.create(newClient(tenant.id, 'web'));
    const user = await repos.users.create(newUser(tenant.id, 'ada'));
    const token = newTokenHash();
    const created = await repos.refreshTokens.createFamily(newRefreshFamily(tenant.id, client.id, user.id), token);
    return { tenantId: tenant.id, clientRef: client.id, familyId: created.id, token };
  }

  /** Backends of this database waiting for a lock (pg_stat_activity), polled until `count` wait. */
  async function waitForLockWaiters(ds: DataSource, count: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const [row] = (await ds.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )) as Array<{ n: number }>;
      if (row!.n >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`${count} lock waiters never showed up`);
  }

  it('lets exactly one of two simultaneous rotations of one token win; the other is reuse and revokes the family', async () => {
    const { tenantId, clientRef, familyId, token } = await family();
    const [nextA, nextB] = [newTokenHash(), newTokenHash()];
    const rotate = (next: Buffer) => repos.refreshTokens.rotate(tenantId, clientRef, token, next, new Date(), new Date(Date.now() - 3_600_000));

    // Hold the token row's lock so both rotations queue on it, then let them go together.
    const holder = repos.ds.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    let outcomes: RotateOutcome[];
    try {
      await holder.query(`SELECT 1 FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`, [token]);
      const racing = Promise.all([rotate(nextA), rotate(nextB)]);
      await waitForLockWaiters(repos.ds, 2);
      await holder.commitTransaction();
      outcomes = await racing;
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }

    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['reused', 'rotated']);
    const winner = outcomes[0]!.outcome === 'rotated' ? nextA : nextB;
    const loser = winner === nextA ? nextB : nextA;
    // The loser's token was never stored; the winner's token belongs to a revoked family.
    expect(await repos.refreshTokens.findTokenState(tenantId, loser)).toBeNull();
    const state = (await repos.refreshTokens.findTokenState(tenantId, winner)) as RefreshTokenState;
    expect(state.family).toMatchObject({ id: familyId, revokedReason: 'refresh_token_reuse' });
    expect(state.family.revokedAt).toBeInstanceOf(Date);
    // Neither the winner's new token nor the original can rotate again.
    expect(await rotate(newTokenHash())).toEqual({ outcome: 'invalid' });
    expect(await repos.refreshTokens.rotate(tenantId, clientRef, winner, newTokenHash(), new Date(), new Date(0))).toEqual({ outcome: 'invalid' });
  });

  it('rotates one token once however many refreshes race for it', async () => {
    const { tenantId, clientRef, token } = await family();
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => repos.refreshTokens.rotate(tenantId, clientRef, token, newTokenHash(), new Date(), new Date(0))),
    );
    const counts = outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.outcome]: (acc[o.outcome] ?? 0) + 1 }), {});
    // One rotation; the first loser revokes the family as reuse, later ones find it revoked.
    expect(counts['rotated']).toBe(1);
    expect(counts['reused']).toBe(1);
    expect(counts['invalid'] ?? 0).toBe(3);
  });
});
