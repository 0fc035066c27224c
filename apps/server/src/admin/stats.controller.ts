import { Get, Param, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Clock } from '@tessera/clock';
import { tokenStatsQuerySchema, type TokenIssuanceStatsView, type TokenStatsQuery } from '@tessera/contracts';
import { TenantsService } from '@tessera/tenancy';
import { TokenIssuanceStats } from '@tessera/tokens';
import { AdminApiController } from './admin-api.js';
import { RequireRole } from './require-role.js';
import { ApiProblems } from './openapi-schema.js';
import { tokenIssuanceView } from './views.js';
import { ZodValidationPipe } from './zod-validation.pipe.js';

const DAY_MS = 86_400_000;

@AdminApiController('stats', '/tenants/:slug/stats')
export class StatsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly issuance: TokenIssuanceStats,
    private readonly clock: Clock,
  ) {}

  @Get('tokens')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Tokens issued per UTC day (or hour) and grant type over the last days; a few seconds behind' })
  @ApiProblems(400, 404)
  async tokens(
    @Param('slug') slug: string,
    @Query(new ZodValidationPipe(tokenStatsQuerySchema, 'query')) query: TokenStatsQuery,
  ): Promise<TokenIssuanceStatsView> {
    const tenant = await this.tenants.get(slug);
    const now = this.clock.now();
    const since = new Date(now - (now % DAY_MS) - (query.days - 1) * DAY_MS);
    const totals = await this.issuance.totals(tenant.id, since, query.granularity);
    return { items: totals.map((t) => tokenIssuanceView(t, query.granularity)) };
  }
}
