import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER_ENTRY = path.join(ROOT, 'dist/server/apps/server/src/main.js');

/** The key the black-box tests encrypt signing keys with (the test database outlives one run). */
export const TEST_KEY_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');
export const TEST_DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export interface TesseraProcess {
  baseUrl: string;
  port: number;
  bootstrapClient: { id: string; secret: string };
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  issuer(tenant: string): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  child: ChildProcess;
}

export interface StartOptions {
  /** Variables to set; a value of `undefined` removes the variable. */
  env?: Record<string, string | undefined>;
  /** Use the real PostgreSQL and Redis (default) or leave both unset (embedded defaults). */
  embedded?: boolean;
  timeoutMs?: number;
  /** PUBLIC_URL for the chosen port (default: the http base URL itself), e.g. an https URL as if behind a TLS proxy. */
  publicUrl?: (port: number) => string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts the built server (`npm run build` first) as a child process, exactly as `npm start` does,
 * and waits until /healthz answers. Black-box: tests speak to it only over HTTP.
 */
export async function startTessera(options: StartOptions = {}): Promise<TesseraProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const bootstrapClient = { id: `e2e-${randomBytes(6).toString('hex')}`, secret: randomBytes(32).toString('base64url') };
  const env: Record<string, string | undefined> = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    PUBLIC_URL: options.publicUrl ? options.publicUrl(port) : baseUrl,
    KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY,
    BOOTSTRAP_CLIENT_ID: bootstrapClient.id,
    BOOTSTRAP_CLIENT_SECRET: bootstrapClient.secret,
    // Stopping at once keeps the suites fast; the drain itself has its own tests.
    SHUTDOWN_DRAIN_SECONDS: '0',
    ...(options.embedded ? {} : { DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL }),
    ...options.env,
  };
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined) throw new Error(`tessera exited with ${exitCode} before it was up:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`tessera did not come up in time:\n${output}`);
    }
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    baseUrl,
    port,
    bootstrapClient,
    child,
    output: () => output,
    issuer: (tenant) => `${baseUrl}/t/${tenant}`,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (exitCode !== undefined) return exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
