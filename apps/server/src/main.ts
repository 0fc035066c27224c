// The process entry (`npm start`, the Docker image, the black-box tests). Tracing starts first,
// when the OTEL_* variables ask for it, so that its instrumentations are in place before the
// server's modules (and with them http, pg and node-redis) are loaded by the import below.
import { startTracing, type Tracing } from './telemetry/tracing.js';

async function main(): Promise<void> {
  let tracing: Tracing | undefined;
  try {
    tracing = await startTracing(process.env);
  } catch (error) {
    throw new Error(`tracing could not start (check the OTEL_* variables): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const { runServer } = await import('./run-server.js');
  await runServer(process.env, tracing);
}

main().catch((error: unknown) => {
  // One line, no stack: the structured log already holds details where they exist.
  process.stderr.write(`Tessera failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
