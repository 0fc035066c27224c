import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Clock } from '@tessera/clock';
import { tokenIssued } from '@tessera/observability';
import {
  TokenIssuanceStatsRepository,
  type TokenIssuanceCount,
  type TokenIssuanceGranularity,
  type TokenIssuanceTotal,
} from './token-issuance-stats.repository.js';

const HOUR_MS = 3_600_000;
/** Short enough for a chart to look live; one upsert per process per interval costs the database nothing. */
export const TOKEN_STATS_FLUSH_INTERVAL_MS = 5_000;

/**
 * Counts issued tokens per (tenant, grant type, hour) in memory and adds them to the database
 * every few seconds: the token endpoint issues thousands of tokens a second and must not write a
 * row for each. Recording never waits and never throws; a failed flush keeps its counts for the
 * next one. A process that dies without shutting down loses at most one interval's counts.
 */
@Injectable()
export class TokenIssuanceStats implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('token-stats');
  private pending = new Map<string, TokenIssuanceCount>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly repository: TokenIssuanceStatsRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Counts one token response (access token, with whatever refresh and id tokens came with it),
   * here for the database and as an event for the metrics.
   */
  record(tenant: { id: string; slug: string }, grantType: string): void {
    if (tokenIssued.active) tokenIssued.publish({ tenant, grantType });
    const tenantId = tenant.id;
    const now = this.clock.now();
    const hour = now - (now % HOUR_MS);
    const key = `${tenantId}\u0000${grantType}\u0000${hour}`;
    const entry = this.pending.get(key);
    if (entry) entry.count += 1;
    else this.pending.set(key, { tenantId, grantType, hour: new Date(hour), count: 1 });
  }

  /** Counts not yet stored, for tests and diagnostics. */
  pendingCounts(): TokenIssuanceCount[] {
    return [...this.pending.values()].map((c) => ({ ...c }));
  }

  /**
   * Stores the counts gathered so far. Flushes run one after another, so a count is never in two
   * upserts at once; on failure the batch goes back into the pending counts.
   */
  flush(): Promise<void> {
    const next = this.running.then(() => this.flushOnce());
    this.running = next.catch(() => undefined);
    return next;
  }

  totals(tenantId: string, since: Date, granularity: TokenIssuanceGranularity): Promise<TokenIssuanceTotal[]> {
    return this.repository.totals(tenantId, since, granularity);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flushLogged(), TOKEN_STATS_FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** While the database is surely still open (persistence closes it in its own shutdown hook). */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flushLogged();
  }

  /** Again after the HTTP server closed: requests still in flight at the first flush were counted since. */
  async onApplicationShutdown(): Promise<void> {
    if (this.pending.size > 0) await this.flushLogged();
  }

  private async flushOnce(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.repository.add([...batch.values()]);
    } catch (error) {
      for (const [key, entry] of batch) {
        const current = this.pending.get(key);
        if (current) current.count += entry.count;
        else this.pending.set(key, entry);
      }
      throw error;
    }
  }

  private async flushLogged(): Promise<void> {
    try {
      await this.flush();
    } catch (error) {
      this.logger.warn(`token issuance counts not stored yet (${this.pending.size} kept for the next flush): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
