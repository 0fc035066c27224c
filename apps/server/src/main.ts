import { ConfigError, formatConfigProblems, loadConfig } from './config/index.js';
import { createLogger } from './http/logger.js';
import { createServer } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = await loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${formatConfigProblems(error)}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  for (const warning of config.warnings) logger.warn(warning);
  const app = await createServer(config, { logger });
  // SIGTERM/SIGINT: stop accepting, finish in-flight requests, close stores (and the embedded
  // PostgreSQL), then exit 0. A second signal while closing exits at once.
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) process.exit(1);
      closing = true;
      logger.info({ signal }, 'shutting down');
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  await app.listen(config.port, '0.0.0.0');
  logger.info({ publicUrl: config.publicUrl, port: config.port }, `Tessera is listening; admin issuer ${config.publicUrl}/t/admin`);
}

main().catch((error: unknown) => {
  // One line, no stack: the structured log already holds details where they exist.
  process.stderr.write(`Tessera failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
