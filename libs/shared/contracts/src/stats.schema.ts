import { z } from 'zod';

export const TOKEN_STATS_MAX_DAYS = 90;

/** `GET /tenants/{slug}/stats/tokens`: the last `days` UTC days, today included, by day or by hour. */
export const tokenStatsQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(TOKEN_STATS_MAX_DAYS).default(14),
  granularity: z.enum(['day', 'hour']).default('day'),
});
export type TokenStatsQuery = z.infer<typeof tokenStatsQuerySchema>;

/**
 * Token responses of one grant type in one UTC day (or hour): one per successful token request
 * and per implicit-grant response. Counts reach the server's database a few seconds late.
 */
export interface TokenIssuanceView {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  /** Start of the hour (ISO 8601, UTC); only with `granularity=hour`. */
  hour?: string;
  grantType: string;
  count: number;
}

export interface TokenIssuanceStatsView {
  items: TokenIssuanceView[];
}
