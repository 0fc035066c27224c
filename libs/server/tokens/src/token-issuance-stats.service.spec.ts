import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@tessera/clock/testing';
import { TokenIssuanceStatsRepository, type TokenIssuanceCount, type TokenIssuanceTotal } from './token-issuance-stats.repository.js';
import { TokenIssuanceStats } from './token-issuance-stats.service.js';

const ACME = '11111111-1111-4111-8111-111111111111';
const GLOBEX = '22222222-2222-4222-8222-222222222222';
const acme = { id: ACME, slug: 'acme' };
const globex = { id: GLOBEX, slug: 'globex' };

/** Adds up what it is given, as the upsert does; fails while `failing` is set. */
class SummingRepository extends TokenIssuanceStatsRepository {
  readonly stored = new Map<string, number>();
  calls = 0;
  failing = false;
  async add(counts: readonly TokenIssuanceCount[]): Promise<void> {
    this.calls += 1;
    if (this.failing) throw new Error('database unavailable');
    for (const c of counts) {
      const key = `${c.tenantId} ${c.grantType} ${c.hour.toISOString()}`;
      this.stored.set(key, (this.stored.get(key) ?? 0) + c.count);
    }
  }
  async totals(): Promise<TokenIssuanceTotal[]> {
    return [];
  }
}

function setup(at = '2030-01-01T10:15:00.000Z') {
  const clock = new ManualClock(Date.parse(at));
  const repository = new SummingRepository();
  return { clock, repository, stats: new TokenIssuanceStats(repository, clock) };
}

describe('TokenIssuanceStats', () => {
  it('buckets counts by tenant, grant type and the start of the UTC hour', () => {
    const { clock, stats } = setup('2030-01-01T10:00:00.000Z');
    stats.record(acme, 'client_credentials');
    clock.set(Date.parse('2030-01-01T10:59:59.999Z'));
    stats.record(acme, 'client_credentials');
    stats.record(acme, 'refresh_token');
    stats.record(globex, 'client_credentials');
    clock.set(Date.parse('2030-01-01T11:00:00.000Z'));
    stats.record(acme, 'client_credentials');
    const rows = stats.pendingCounts().map((c) => [c.tenantId, c.grantType, c.hour.toISOString(), c.count]);
    expect(rows).toEqual(
      expect.arrayContaining([
        [ACME, 'client_credentials', '2030-01-01T10:00:00.000Z', 2],
        [ACME, 'refresh_token', '2030-01-01T10:00:00.000Z', 1],
        [GLOBEX, 'client_credentials', '2030-01-01T10:00:00.000Z', 1],
        [ACME, 'client_credentials', '2030-01-01T11:00:00.000Z', 1],
      ]),
    );
    expect(rows).toHaveLength(4);
  });

  it('stores the counts in one call per flush and adds later flushes to them', async () => {
    const { repository, stats } = setup();
    stats.record(acme, 'client_credentials');
    stats.record(acme, 'client_credentials');
    await stats.flush();
    expect(stats.pendingCounts()).toEqual([]);
    stats.record(acme, 'client_credentials');
    await stats.flush();
    expect(repository.calls).toBe(2);
    expect(repository.stored.get(`${ACME} client_credentials 2030-01-01T10:00:00.000Z`)).toBe(3);
  });

  it('does not call the database when there is nothing to store', async () => {
    const { repository, stats } = setup();
    await stats.flush();
    expect(repository.calls).toBe(0);
  });

  it('keeps the counts of a failed flush and merges them with new ones for the next', async () => {
    const { repository, stats } = setup();
    stats.record(acme, 'client_credentials');
    stats.record(acme, 'client_credentials');
    repository.failing = true;
    await expect(stats.flush()).rejects.toThrow('database unavailable');
    stats.record(acme, 'client_credentials');
    stats.record(globex, 'password');
    expect(stats.pendingCounts().find((c) => c.tenantId === ACME)?.count).toBe(3);
    repository.failing = false;
    await stats.flush();
    expect(repository.stored.get(`${ACME} client_credentials 2030-01-01T10:00:00.000Z`)).toBe(3);
    expect(repository.stored.get(`${GLOBEX} password 2030-01-01T10:00:00.000Z`)).toBe(1);
    expect(stats.pendingCounts()).toEqual([]);
  });

  it('counts what is recorded during a flush in the next one, never twice', async () => {
    const { repository, stats } = setup();
    stats.record(acme, 'client_credentials');
    const first = stats.flush();
    stats.record(acme, 'client_credentials');
    const second = stats.flush();
    await Promise.all([first, second]);
    expect(repository.stored.get(`${ACME} client_credentials 2030-01-01T10:00:00.000Z`)).toBe(2);
  });

  it('never throws from the shutdown hooks, and flushes there', async () => {
    const { repository, stats } = setup();
    stats.record(acme, 'client_credentials');
    repository.failing = true;
    await expect(stats.beforeApplicationShutdown()).resolves.toBeUndefined();
    repository.failing = false;
    await stats.onApplicationShutdown();
    expect(repository.stored.get(`${ACME} client_credentials 2030-01-01T10:00:00.000Z`)).toBe(1);
  });
});
