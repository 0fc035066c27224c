import type { Server } from 'node:http';
import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { closeListener, listenForScrapes } from './metrics-listener.js';
import { ServerMetrics } from './server-metrics.js';

export abstract class MetricsEndpointOptions {
  abstract readonly port: number;
  abstract readonly host: string;
}

/**
 * Opens the metrics listener with the application and closes it last: it answers scrapes through
 * the whole shutdown drain, until the application itself has closed.
 */
@Injectable()
export class MetricsEndpoint implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | undefined;

  constructor(
    private readonly metrics: ServerMetrics,
    private readonly options: MetricsEndpointOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.server = await listenForScrapes(this.metrics, this.options.port, this.options.host);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.server) await closeListener(this.server);
    this.server = undefined;
    this.metrics.close();
  }
}
