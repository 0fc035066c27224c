import { ConfigError, formatConfigProblems, loadConfig } from './config/index.js';
import { createLogger } from './http/logger.js';
import { ShutdownDrain } from './operations/shutdown-drain.js';
import { createServer } from './server.js';
import type { Tracing } from './telemetry/tracing.js';

/** Reads the configuration, starts the server, and stops it gracefully on SIGTERM or SIGINT. */
export async function runServer(env: Record<string, string | undefined>, tracing: Tracing | undefined): Promise<void> {
  let config;
  try {
    config = await loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${formatConfigProblems(error)}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, tracing?.logFields);
  for (const warning of config.warnings) logger.warn(warning);
  if (tracing) logger.info('OpenTelemetry tracing is on');
  const app = await createServer(config, { logger, ...(tracing && { tracing }) });
  const drain = app.get(ShutdownDrain);
  // SIGTERM (an orchestrator or a load balancer stopping this process): drain first, so that
  // /readyz reports 503 while requests are still served (SHUTDOWN_DRAIN_SECONDS), then stop
  // accepting, finish in-flight requests, close stores (and the embedded PostgreSQL), export the
  // last spans and exit 0. SIGINT (Ctrl-C) skips the drain. A second signal exits at once.
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) process.exit(1);
      closing = true;
      const drainSeconds = signal === 'SIGTERM' ? config.shutdownDrainSeconds : 0;
      logger.info({ signal, drainSeconds }, 'shutting down');
      drain
        .start(drainSeconds)
        .then(() => app.close())
        .then(() => tracing?.shutdown())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
    });
  }
  await app.listen(config.port, '0.0.0.0');
  logger.info(
    { publicUrl: config.publicUrl, port: config.port, ...(config.metricsPort !== undefined && { metricsPort: config.metricsPort }) },
    `Tessera is listening; admin issuer ${config.publicUrl}/t/admin`,
  );
}
