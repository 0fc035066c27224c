import { Controller, Get, Header, HttpCode, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ShutdownDrain } from './shutdown-drain.js';
import { StoreHealth, type ProbeResult } from './store-health.service.js';

const CHECK_TIMEOUT_MS = 2_000;

/**
 * CONTRACT.md: /healthz while the process is up; /readyz only while PostgreSQL and the store
 * answer, and not once the process has begun to shut down (so a load balancer drains it).
 */
@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(
    private readonly health: StoreHealth,
    private readonly drain: ShutdownDrain,
  ) {}

  @Get('healthz')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Header('Cache-Control', 'no-store')
  async readyz(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ status: string; checks: Record<string, ProbeResult> }> {
    const checks = await this.health.check(CHECK_TIMEOUT_MS);
    if (this.drain.draining) {
      reply.status(503);
      return { status: 'draining', checks: { ...checks } };
    }
    const ready = checks.database === 'up' && checks.store === 'up';
    reply.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'unavailable', checks: { ...checks } };
  }
}
