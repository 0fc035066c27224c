import { readFileSync } from 'node:fs';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { AppConfig } from '../config/index.js';
import { HealthController } from './health.controller.js';
import { MetricsEndpoint, MetricsEndpointOptions } from './metrics/metrics-endpoint.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import { ShutdownDrain } from './shutdown-drain.js';
import { StoreHealth } from './store-health.service.js';

/** A scrape waits at most this long for the store probes of `tessera_store_up`. */
const SCRAPE_PROBE_TIMEOUT_MS = 1_000;

/** Health and readiness, the shutdown drain and, with METRICS_PORT, the metrics and their listener. */
@Module({})
export class OperationsModule {
  static forRoot(config: AppConfig, drain: ShutdownDrain): DynamicModule {
    const metrics: Provider[] =
      config.metricsPort === undefined
        ? []
        : [
            {
              provide: ServerMetrics,
              inject: [StoreHealth],
              useFactory: (health: StoreHealth) =>
                new ServerMetrics({
                  tenantLabel: config.metricsTenantLabel,
                  storeKind: config.redisUrl ? 'redis' : 'in-process',
                  probe: () => health.check(SCRAPE_PROBE_TIMEOUT_MS),
                  version: packageVersion(),
                }),
            },
            { provide: MetricsEndpointOptions, useValue: { port: config.metricsPort, host: '0.0.0.0' } },
            MetricsEndpoint,
          ];
    return {
      module: OperationsModule,
      controllers: [HealthController],
      providers: [StoreHealth, { provide: ShutdownDrain, useValue: drain }, ...metrics],
      exports: [ShutdownDrain, ...(config.metricsPort === undefined ? [] : [ServerMetrics])],
    };
  }
}

/** The version in package.json at the root of the install (dist/server/apps/server/src/operations → root). */
function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../../../../../package.json', import.meta.url), 'utf8');
    return String((JSON.parse(text) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}
