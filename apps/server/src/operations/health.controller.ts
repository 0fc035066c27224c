import { Controller, Get, Header, HttpCode, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ShortLivedStateStore } from '@tessera/tokens';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';

const CHECK_TIMEOUT_MS = 2_000;

/** CONTRACT.md: /healthz while the process is up; /readyz only while PostgreSQL and the store answer. */
@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ShortLivedStateStore,
  ) {}

  @Get('healthz')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Header('Cache-Control', 'no-store')
  async readyz(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ status: string; checks: Record<string, string> }> {
    const [database, store] = await Promise.all([
      check(() => this.dataSource.query('SELECT 1')),
      check(() => this.store.ping()),
    ]);
    const ready = database === 'up' && store === 'up';
    reply.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'unavailable', checks: { database, store } };
  }
}

async function check(probe: () => Promise<unknown>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
