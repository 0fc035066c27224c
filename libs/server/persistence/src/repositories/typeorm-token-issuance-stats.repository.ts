import {
  TokenIssuanceStatsRepository,
  type TokenIssuanceCount,
  type TokenIssuanceGranularity,
  type TokenIssuanceTotal,
} from '@tessera/tokens';
import type { DataSource } from 'typeorm';

const PERIOD_FORMAT: Record<TokenIssuanceGranularity, string> = {
  day: 'YYYY-MM-DD',
  hour: 'YYYY-MM-DD"T"HH24":00:00.000Z"',
};

export class TypeOrmTokenIssuanceStatsRepository extends TokenIssuanceStatsRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  /**
   * One statement for the whole batch, whatever its size (arrays, not a parameter per value).
   * Counts of tenants deleted since they were recorded are dropped, or their foreign key would
   * fail every flush from then on.
   */
  async add(counts: readonly TokenIssuanceCount[]): Promise<void> {
    if (counts.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO token_issuance_stats AS s (tenant_id, hour, grant_type, count)
       SELECT u.tenant_id, u.hour, u.grant_type, u.count
         FROM unnest($1::uuid[], $2::timestamptz[], $3::varchar[], $4::bigint[]) AS u(tenant_id, hour, grant_type, count)
        WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.id = u.tenant_id)
       ON CONFLICT (tenant_id, hour, grant_type) DO UPDATE SET count = s.count + EXCLUDED.count`,
      [
        counts.map((c) => c.tenantId),
        counts.map((c) => c.hour.toISOString()),
        counts.map((c) => c.grantType),
        counts.map((c) => String(c.count)),
      ],
    );
  }

  async totals(tenantId: string, since: Date, granularity: TokenIssuanceGranularity): Promise<TokenIssuanceTotal[]> {
    const rows: Array<{ period: string; grant_type: string; count: string }> = await this.dataSource.query(
      `SELECT to_char(date_trunc($3, hour AT TIME ZONE 'UTC'), $4) AS period, grant_type, sum(count)::text AS count
         FROM token_issuance_stats
        WHERE tenant_id = $1 AND hour >= $2
        GROUP BY 1, 2
        ORDER BY 1, 2`,
      [tenantId, since.toISOString(), granularity, PERIOD_FORMAT[granularity]],
    );
    return rows.map((r) => ({ period: r.period, grantType: r.grant_type, count: Number(r.count) }));
  }
}
