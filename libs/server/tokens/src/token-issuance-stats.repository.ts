/** Tokens issued to one tenant through one grant type within one clock hour (UTC). */
export interface TokenIssuanceCount {
  tenantId: string;
  /** Start of the hour. */
  hour: Date;
  grantType: string;
  count: number;
}

export type TokenIssuanceGranularity = 'day' | 'hour';

/** One row of a tenant's totals: `period` is `YYYY-MM-DD` by day, or the hour's ISO instant by hour (UTC). */
export interface TokenIssuanceTotal {
  period: string;
  grantType: string;
  count: number;
}

/** Storage port for the issuance counters. */
export abstract class TokenIssuanceStatsRepository {
  /**
   * Adds the counts to the stored ones in one statement, so several server processes flushing at
   * once add up, and a failed call stores nothing (the caller keeps its counts and retries).
   */
  abstract add(counts: readonly TokenIssuanceCount[]): Promise<void>;
  /** Totals per period and grant type since `since`, oldest first. */
  abstract totals(tenantId: string, since: Date, granularity: TokenIssuanceGranularity): Promise<TokenIssuanceTotal[]>;
}
