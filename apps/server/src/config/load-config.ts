// Reads the configuration once at start (ARCHITECTURE.md example 7): the caller passes
// `process.env`, nothing else in the server reads the environment.
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CONFIG_VARIABLES,
  DEFAULT_PORT,
  KEY_ENCRYPTION_KEY_BYTES,
  configVariableSchemas,
  crossVariableProblems,
  decodeKeyEncryptionKey,
  type AppConfig,
  type ConfigVariable,
  type KeyEncryptionKeySource,
  type ParsedVariables,
  type RawConfig,
} from './config.schema.js';

export const KEY_FILE_NAME = 'key-encryption.key';

export class ConfigError extends Error {
  /** One line per problem, `NAME: what is wrong`; never a secret value. */
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** The text to print before exiting. */
export function formatConfigProblems(err: ConfigError): string {
  return ['Invalid configuration:', ...err.problems.map((problem) => `  - ${problem}`)].join('\n');
}

export interface LoadConfigOptions {
  /** Base for a relative `DATA_DIR`; default the process's working directory. */
  cwd?: string;
  /** Source of the generated development key; default `crypto.randomBytes`. */
  randomBytes?: (size: number) => Buffer;
}

/** Blank values count as unset: `FOO=` in a compose file means "not configured". */
function pickRaw(env: Record<string, string | undefined>): RawConfig {
  const raw: RawConfig = {};
  for (const name of CONFIG_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') raw[name] = value;
  }
  return raw;
}

export async function loadConfig(env: Record<string, string | undefined>, options: LoadConfigOptions = {}): Promise<AppConfig> {
  const raw = pickRaw(env);
  const problems: string[] = [];
  const parsed: Partial<ParsedVariables> = {};
  for (const name of CONFIG_VARIABLES) {
    const result = configVariableSchemas[name].safeParse(raw[name]);
    if (result.success) (parsed as Record<ConfigVariable, unknown>)[name] = result.data;
    else problems.push(...result.error.issues.map((issue) => `${name}: ${issue.message}`));
  }

  const publicUrl =
    parsed.PUBLIC_URL ?? (raw.PUBLIC_URL === undefined ? `http://localhost:${parsed.PORT ?? DEFAULT_PORT}` : undefined);
  problems.push(...crossVariableProblems(raw, parsed, publicUrl));

  const dataDir = path.resolve(options.cwd ?? process.cwd(), parsed.DATA_DIR ?? '.');
  const warnings: string[] = [];
  let keyEncryptionKey = parsed.KEY_ENCRYPTION_KEY;
  let keyEncryptionKeySource: KeyEncryptionKeySource = 'env';
  if (raw.KEY_ENCRYPTION_KEY === undefined && parsed.NODE_ENV !== 'production') {
    // Write nothing to disk for a configuration that is going to be rejected anyway.
    const devKey = await developmentKey(dataDir, problems.length === 0, options.randomBytes ?? nodeRandomBytes);
    if ('problem' in devKey) problems.push(devKey.problem);
    else if (devKey.key !== undefined) {
      keyEncryptionKey = devKey.key;
      keyEncryptionKeySource = devKey.source;
      warnings.push(...devKey.warnings);
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  const p = parsed as ParsedVariables;
  return {
    port: p.PORT,
    publicUrl: publicUrl as string,
    ...(p.DATABASE_URL !== undefined && { databaseUrl: p.DATABASE_URL }),
    ...(p.REDIS_URL !== undefined && { redisUrl: p.REDIS_URL }),
    dataDir,
    keyEncryptionKey: keyEncryptionKey as Buffer,
    keyEncryptionKeySource,
    bootstrapAdmin: {
      email: p.BOOTSTRAP_ADMIN_EMAIL,
      ...(p.BOOTSTRAP_ADMIN_PASSWORD !== undefined && { password: p.BOOTSTRAP_ADMIN_PASSWORD }),
    },
    ...(p.BOOTSTRAP_CLIENT_ID !== undefined &&
      p.BOOTSTRAP_CLIENT_SECRET !== undefined && {
        bootstrapClient: { clientId: p.BOOTSTRAP_CLIENT_ID, clientSecret: p.BOOTSTRAP_CLIENT_SECRET },
      }),
    nodeEnv: p.NODE_ENV,
    logLevel: p.LOG_LEVEL,
    ...(p.METRICS_PORT !== undefined && { metricsPort: p.METRICS_PORT }),
    metricsTenantLabel: p.METRICS_TENANT_LABEL,
    trustProxy: p.TRUST_PROXY,
    shutdownDrainSeconds: p.SHUTDOWN_DRAIN_SECONDS,
    warnings,
  };
}

type DevelopmentKey =
  | { key: Buffer; source: 'file' | 'generated'; warnings: string[] }
  | { key: undefined }
  | { problem: string };

/**
 * Development only: the key lives in `${dataDir}/key-encryption.key` (mode 0600), created on first
 * start and reused later, so signing keys encrypted with it stay readable across restarts.
 */
async function developmentKey(dataDir: string, mayCreate: boolean, random: (size: number) => Buffer): Promise<DevelopmentKey> {
  const file = path.join(dataDir, KEY_FILE_NAME);
  const existing = await readKeyFile(file);
  if (existing !== 'missing') return existing;
  if (!mayCreate) return { key: undefined };

  const key = random(KEY_ENCRYPTION_KEY_BYTES);
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    // `wx`: if another process created the file meanwhile, keep theirs.
    await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600); // the umask may have narrowed the mode given above, never widened it
  } catch (error) {
    if (errorCode(error) === 'EEXIST') {
      const raced = await readKeyFile(file);
      return raced === 'missing' ? { problem: `KEY_ENCRYPTION_KEY: is unset and ${file} vanished while being created` } : raced;
    }
    return { problem: `KEY_ENCRYPTION_KEY: is unset and a development key could not be written to ${file} (${errorCode(error)})` };
  }
  return {
    key,
    source: 'generated',
    warnings: [`KEY_ENCRYPTION_KEY is unset: generated a development key into ${file}. Set KEY_ENCRYPTION_KEY in production.`],
  };
}

async function readKeyFile(file: string): Promise<DevelopmentKey | 'missing'> {
  let text: string;
  let mode: number;
  try {
    text = await readFile(file, 'utf8');
    mode = (await stat(file)).mode;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'missing';
    return { problem: `KEY_ENCRYPTION_KEY: is unset and ${file} could not be read (${errorCode(error)})` };
  }
  const key = decodeKeyEncryptionKey(text);
  if (key === undefined) {
    return {
      problem: `KEY_ENCRYPTION_KEY: is unset and ${file} does not hold base64 of exactly ${KEY_ENCRYPTION_KEY_BYTES} bytes (signing keys encrypted with it cannot be read without it)`,
    };
  }
  const warnings = [`KEY_ENCRYPTION_KEY is unset: using the development key in ${file}. Set KEY_ENCRYPTION_KEY in production.`];
  if ((mode & 0o077) !== 0) warnings.push(`${file} is readable by other users: run \`chmod 600 ${file}\`.`);
  return { key, source: 'file', warnings };
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown error';
}
