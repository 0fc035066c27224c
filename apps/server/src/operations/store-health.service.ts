import { Injectable } from '@nestjs/common';
import { ShortLivedStateStore } from '@tessera/short-lived-state';
import { DataSource } from 'typeorm';

export type ProbeResult = 'up' | 'down';

export interface StoreHealthReport {
  database: ProbeResult;
  store: ProbeResult;
}

/** Whether PostgreSQL and the short-lived-state store answer now: for /readyz and the `tessera_store_up` gauge. */
@Injectable()
export class StoreHealth {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ShortLivedStateStore,
  ) {}

  async check(timeoutMs: number): Promise<StoreHealthReport> {
    const [database, store] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1'), timeoutMs),
      probe(() => this.store.ping(), timeoutMs),
    ]);
    return { database, store };
  }
}

async function probe(run: () => Promise<unknown>, timeoutMs: number): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
  });
  try {
    await Promise.race([run(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
