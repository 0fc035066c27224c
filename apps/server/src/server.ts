import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { InvalidationBus } from '@tessera/caching';
import { ClientsService } from '@tessera/clients';
import { Clock } from '@tessera/clock';
import { TenantsService } from '@tessera/tenancy';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/index.js';
import { registerCors, TenantOrigins } from './http/cors.js';
import { registerDashboard } from './http/dashboard-static.js';
import { handleUntypedError } from './http/fallback.filter.js';
import { createLogger } from './http/logger.js';
import { PinoNestLogger } from './http/pino-nest.logger.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { registerOpenApi } from './openapi.js';
import { registerHttpMetrics } from './operations/metrics/http-metrics.hook.js';
import { ServerMetrics } from './operations/metrics/server-metrics.js';
import { ShutdownDrain } from './operations/shutdown-drain.js';
import type { Tracing } from './telemetry/tracing.js';

export interface ServerOptions {
  logger?: Logger;
  /** Where the one-time bootstrap password goes; stdout by default. */
  print?: (line: string) => void;
  /** Built dashboard; by default dist/dashboard beside the compiled server. */
  dashboardRoot?: string;
  /** OpenTelemetry, when on (telemetry/tracing.ts). */
  tracing?: Tracing;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the whole server (not yet listening): used by main.ts and by black-box tests. */
export async function createServer(config: AppConfig, options: ServerOptions = {}): Promise<NestFastifyApplication> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: 1024 * 1024,
    // TRUST_PROXY: whose X-Forwarded-For names the client (rate limits, audit, logs); none by default.
    trustProxy: trustProxyOption(config.trustProxy),
    // Keep a caller's request id when it is well-formed, so logs join up across services.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 500 },
    // One access-log line per request (below), not Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // The router refuses a malformed URL (400) or an over-long path parameter (414) before any route,
    // hook or Nest filter runs: answer those in the shape of their endpoint too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => handleUntypedError(error, request, reply, new NestLogger('http')),
  });
  const drain = new ShutdownDrain();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, logger, options.print ?? printToStdout, drain), adapter, {
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { req: request, res: reply, responseTimeMs: Math.round(reply.elapsedTime * 10) / 10 },
      'request completed',
    );
  });
  const tracing = options.tracing;
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    // The same request id in the logs and on the trace's server span.
    tracing?.annotateRequest(request.id, request.routeOptions.url);
    // Draining before shutdown: served, but no connection kept for the balancer to reuse.
    if (drain.draining) reply.header('Connection', 'close');
  });
  if (config.metricsPort !== undefined) registerHttpMetrics(fastify, app.get(ServerMetrics));
  registerSecurityHeaders(fastify, config.publicUrl.startsWith('https://'));
  registerCors(fastify, app.get(TenantsService), new TenantOrigins(app.get(ClientsService), app.get(InvalidationBus), app.get(Clock)));
  const dashboardRoot = options.dashboardRoot ?? defaultDashboardRoot();
  if (!(await registerDashboard(fastify, dashboardRoot))) {
    logger.warn({ dashboardRoot }, 'dashboard not built: run `npm run build` to serve it at /');
  }
  registerOpenApi(app);
  return app;
}

/** A hop count as the trust function Fastify would build from it (the adapter's type takes no number). */
function trustProxyOption(trust: AppConfig['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

function defaultDashboardRoot(): string {
  // dist/server/apps/server/src/server.js → dist/dashboard
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../dashboard');
}

function printToStdout(line: string): void {
  process.stdout.write(`${line}\n`);
}
