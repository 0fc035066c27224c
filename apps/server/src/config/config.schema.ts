// The environment variables of CONTRACT.md "Process and configuration", one zod schema each.
// Every schema reads the raw string (blank values already turned into `undefined`) and adds
// at most one issue whose message is a whole sentence after "NAME: ". Messages echo a value only
// for variables that hold no secret; URLs with credentials are described, never quoted.
import { isIP } from 'node:net';
import { parseRedisUrl, RedisUrlError } from '@tessera/persistence';
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type KeyEncryptionKeySource = 'env' | 'generated' | 'file';

export interface AppConfig {
  port: number;
  /** Absolute http(s) URL without query, fragment or trailing slash; issuers are `${publicUrl}/t/<slug>`. */
  publicUrl: string;
  /** Unset: an embedded PostgreSQL under `dataDir`. */
  databaseUrl?: string;
  /** Unset: an in-process store (single process only). */
  redisUrl?: string;
  /** Absolute path. */
  dataDir: string;
  /** 32 bytes. */
  keyEncryptionKey: Buffer;
  keyEncryptionKeySource: KeyEncryptionKeySource;
  bootstrapAdmin: { email: string; password?: string };
  bootstrapClient?: { clientId: string; clientSecret: string };
  /** Lowercased; `production` switches on the production rules. */
  nodeEnv: string;
  logLevel: LogLevel;
  /** Port of the second listener that serves only GET /metrics; unset: no metrics at all. */
  metricsPort?: number;
  /** Whether the domain counters carry a `tenant` label (only for a bounded number of tenants). */
  metricsTenantLabel: boolean;
  /**
   * Which peers' X-Forwarded-For is believed for the client address: none (false), the nearest
   * `n` hops, or the listed addresses, CIDR ranges and proxy-addr names (loopback, linklocal, uniquelocal).
   */
  trustProxy: false | number | string[];
  /** On SIGTERM: how long /readyz answers 503 while requests are still served, before the listener closes. */
  shutdownDrainSeconds: number;
  /** Lines for the caller to log once the logger exists (e.g. a generated development key). */
  warnings: string[];
}

/** Variables whose values must never appear in a problem line or a log. */
export const SECRET_VARIABLES = ['KEY_ENCRYPTION_KEY', 'BOOTSTRAP_ADMIN_PASSWORD', 'BOOTSTRAP_CLIENT_SECRET'] as const;

export const CONFIG_VARIABLES = [
  'PORT',
  'PUBLIC_URL',
  'DATABASE_URL',
  'REDIS_URL',
  'DATA_DIR',
  'KEY_ENCRYPTION_KEY',
  'BOOTSTRAP_ADMIN_EMAIL',
  'BOOTSTRAP_ADMIN_PASSWORD',
  'BOOTSTRAP_CLIENT_ID',
  'BOOTSTRAP_CLIENT_SECRET',
  'NODE_ENV',
  'LOG_LEVEL',
  'METRICS_PORT',
  'METRICS_TENANT_LABEL',
  'TRUST_PROXY',
  'SHUTDOWN_DRAIN_SECONDS',
] as const;
export type ConfigVariable = (typeof CONFIG_VARIABLES)[number];
export type RawConfig = Partial<Record<ConfigVariable, string>>;

export const DEFAULT_PORT = 3000;
export const DEFAULT_DATA_DIR = './.data';
export const DEFAULT_ADMIN_EMAIL = 'admin@localhost';
export const KEY_ENCRYPTION_KEY_BYTES = 32;
export const DEFAULT_SHUTDOWN_DRAIN_SECONDS = 5;
const MAX_SHUTDOWN_DRAIN_SECONDS = 300;
/** proxy-addr's names for address ranges, accepted in TRUST_PROXY. */
const TRUST_PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** A non-secret value for a problem line: JSON-quoted (control characters escaped) and cut short. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

/** Describes a URL without its credentials, path or query: the only part of it a problem line shows. */
function describeUrl(value: string): string {
  try {
    return `a URL with scheme ${quote(new URL(value).protocol)}`;
  } catch {
    return 'a value that is not a URL';
  }
}

const optionalString = z.string().optional();

const port = optionalString.transform((value, ctx) => {
  if (value === undefined) return DEFAULT_PORT;
  const trimmed = value.trim();
  const parsed = /^\d{1,5}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!(parsed >= 0 && parsed <= 65535)) {
    ctx.addIssue({ code: 'custom', message: `must be an integer from 0 to 65535 (got ${quote(value)})` });
    return z.NEVER;
  }
  return parsed;
});

function integerIn<F extends number | undefined>(min: number, max: number, fallback: F) {
  return optionalString.transform((value, ctx): number | F => {
    if (value === undefined) return fallback;
    const trimmed = value.trim();
    const parsed = /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (!(parsed >= min && parsed <= max)) {
      ctx.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max} (got ${quote(value)})` });
      return z.NEVER;
    }
    return parsed;
  });
}

const metricsPort = integerIn(1, 65535, undefined);
const shutdownDrainSeconds = integerIn(0, MAX_SHUTDOWN_DRAIN_SECONDS, DEFAULT_SHUTDOWN_DRAIN_SECONDS);

const booleanFlag = optionalString.transform((value, ctx) => {
  if (value === undefined) return false;
  const flag = value.trim().toLowerCase();
  if (flag !== 'true' && flag !== 'false') {
    ctx.addIssue({ code: 'custom', message: `must be true or false (got ${quote(value)})` });
    return z.NEVER;
  }
  return flag === 'true';
});

/** An IPv4 or IPv6 address, optionally with a CIDR prefix length that fits it. */
function isAddressOrRange(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Unset: no proxy is trusted, the client address is the peer's. A number n: the n nearest hops
 * (any address); else a comma-separated list of addresses, CIDR ranges and proxy-addr's names.
 * `true` (every hop) is refused: any client could then choose its address.
 */
const trustProxy = optionalString.transform((value, ctx): false | number | string[] => {
  if (value === undefined) return false;
  const trimmed = value.trim();
  if (trimmed.toLowerCase() === 'none') return false;
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    if (hops >= 1 && hops <= 10) return hops;
    ctx.addIssue({ code: 'custom', message: `a hop count must be from 1 to 10 (got ${quote(value)})` });
    return z.NEVER;
  }
  const entries = trimmed.split(',').map((entry) => entry.trim().toLowerCase());
  const bad = entries.find((entry) => !TRUST_PROXY_NAMES.has(entry) && !isAddressOrRange(entry));
  if (bad !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `must be none, a hop count, or a comma-separated list of IP addresses, CIDR ranges, loopback, linklocal and uniquelocal (got ${quote(bad)})`,
    });
    return z.NEVER;
  }
  return entries;
});

/** Normalised form: scheme and host as WHATWG URL serialises them, path without trailing slashes. */
const publicUrl = optionalString.transform((value, ctx) => {
  if (value === undefined) return undefined;
  const problem = (why: string) => {
    ctx.addIssue({ code: 'custom', message: `${why} (got ${quote(value)})` });
    return z.NEVER;
  };
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return problem('must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return problem('must be an absolute http or https URL');
  // `new URL` drops an empty `?` or `#`, so look at the raw text as well.
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(value)) return problem('must not have a query or fragment');
  if (url.username !== '' || url.password !== '') {
    ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password' });
    return z.NEVER;
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
});

function connectionUrl(schemes: readonly string[], expected: string) {
  return optionalString.transform((value, ctx) => {
    if (value === undefined) return undefined;
    let scheme: string | undefined;
    try {
      scheme = new URL(value.trim()).protocol;
    } catch {
      scheme = undefined;
    }
    if (scheme === undefined || !schemes.includes(scheme)) {
      // The value may carry a password: describe it, never quote it.
      ctx.addIssue({ code: 'custom', message: `must be ${expected} URL (got ${describeUrl(value.trim())})` });
      return z.NEVER;
    }
    return value.trim();
  });
}

const databaseUrl = connectionUrl(['postgres:', 'postgresql:'], 'a postgres:// or postgresql://');
/** One server, a Redis Cluster or a Sentinel-managed primary (libs/server/persistence redis-url.ts). */
const redisUrl = optionalString.transform((value, ctx) => {
  if (value === undefined) return undefined;
  try {
    parseRedisUrl(value);
  } catch (error) {
    if (!(error instanceof RedisUrlError)) throw error;
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value.trim())?.[1];
    // The value may carry a password: say what is wrong with it, never quote it.
    const got = error.message.startsWith('must be ') ? ` (got ${scheme ? `a URL with scheme ${quote(`${scheme}:`)}` : 'a value that is not a URL'})` : '';
    ctx.addIssue({ code: 'custom', message: `${error.message}${got}` });
    return z.NEVER;
  }
  return value.trim();
});

/** Resolved against the working directory by `loadConfig`. */
const dataDir = optionalString.transform((value) => value?.trim() || DEFAULT_DATA_DIR);

/**
 * Strict base64 (standard or URL-safe alphabet, padding optional) of exactly 32 bytes.
 * `Buffer.from(…, 'base64')` skips characters it does not know, so the text is checked first.
 */
export function decodeKeyEncryptionKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed, 'base64');
  const canonical = trimmed.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  if (bytes.toString('base64').replace(/=+$/, '') !== canonical) return undefined;
  return bytes.length === KEY_ENCRYPTION_KEY_BYTES ? bytes : undefined;
}

const keyEncryptionKey = optionalString.transform((value, ctx) => {
  if (value === undefined) return undefined;
  const key = decodeKeyEncryptionKey(value);
  if (key === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `must be base64 that decodes to exactly ${KEY_ENCRYPTION_KEY_BYTES} bytes (generate one with \`openssl rand -base64 32\`)`,
    });
    return z.NEVER;
  }
  return key;
});

const adminEmail = optionalString.transform((value, ctx) => {
  if (value === undefined) return DEFAULT_ADMIN_EMAIL;
  const email = value.trim().toLowerCase();
  // Deliberately loose: the address names a user, nothing is mailed. `admin@localhost` must pass.
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) {
    ctx.addIssue({ code: 'custom', message: `must be an email address such as admin@example.com (got ${quote(value)})` });
    return z.NEVER;
  }
  return email;
});

function secret(minLength: number) {
  return optionalString.transform((value, ctx) => {
    if (value === undefined) return undefined;
    if ([...value].length < minLength) {
      ctx.addIssue({ code: 'custom', message: `must be at least ${minLength} characters long` });
      return z.NEVER;
    }
    return value;
  });
}

const clientId = optionalString.transform((value, ctx) => {
  if (value === undefined) return undefined;
  if (!/^[A-Za-z0-9._~-]{1,100}$/.test(value)) {
    ctx.addIssue({ code: 'custom', message: `must be 1 to 100 characters of A-Z a-z 0-9 . _ ~ - (got ${quote(value)})` });
    return z.NEVER;
  }
  return value;
});

const nodeEnv = optionalString.transform((value) => value?.trim().toLowerCase() || 'development');

const logLevel = optionalString.transform((value, ctx): LogLevel => {
  if (value === undefined) return 'info';
  const level = value.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    ctx.addIssue({ code: 'custom', message: `must be one of ${LOG_LEVELS.join(', ')} (got ${quote(value)})` });
    return z.NEVER;
  }
  return level as LogLevel;
});

/**
 * One schema per variable. `loadConfig` parses each on its own so that every problem is reported
 * at once and the rules across variables (below) still see the values that did parse.
 */
export const configVariableSchemas = {
  PORT: port,
  PUBLIC_URL: publicUrl,
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  DATA_DIR: dataDir,
  KEY_ENCRYPTION_KEY: keyEncryptionKey,
  BOOTSTRAP_ADMIN_EMAIL: adminEmail,
  BOOTSTRAP_ADMIN_PASSWORD: secret(12),
  BOOTSTRAP_CLIENT_ID: clientId,
  BOOTSTRAP_CLIENT_SECRET: secret(32),
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  METRICS_PORT: metricsPort,
  METRICS_TENANT_LABEL: booleanFlag,
  TRUST_PROXY: trustProxy,
  SHUTDOWN_DRAIN_SECONDS: shutdownDrainSeconds,
} satisfies Record<ConfigVariable, z.ZodType<unknown, string | undefined>>;

export const configSchema = z.object(configVariableSchemas);
export type ParsedVariables = z.output<typeof configSchema>;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The rules that span variables; `parsed` holds only the variables that parsed. */
export function crossVariableProblems(raw: RawConfig, parsed: Partial<ParsedVariables>, publicUrl: string | undefined): string[] {
  const problems: string[] = [];
  const hasId = raw.BOOTSTRAP_CLIENT_ID !== undefined;
  const hasSecret = raw.BOOTSTRAP_CLIENT_SECRET !== undefined;
  if (hasId && !hasSecret) problems.push('BOOTSTRAP_CLIENT_SECRET: must be set when BOOTSTRAP_CLIENT_ID is set (set both or neither)');
  if (hasSecret && !hasId) problems.push('BOOTSTRAP_CLIENT_ID: must be set when BOOTSTRAP_CLIENT_SECRET is set (set both or neither)');
  if (parsed.METRICS_PORT !== undefined && parsed.METRICS_PORT === parsed.PORT) {
    problems.push(`METRICS_PORT: must differ from PORT (the metrics listener is never the public one; got ${parsed.METRICS_PORT})`);
  }

  if (parsed.NODE_ENV === 'production') {
    if (raw.KEY_ENCRYPTION_KEY === undefined) {
      problems.push('KEY_ENCRYPTION_KEY: is required when NODE_ENV=production (generate one with `openssl rand -base64 32`)');
    }
    if (publicUrl !== undefined) {
      const url = new URL(publicUrl);
      if (url.protocol !== 'https:' && !LOCAL_HOSTS.has(url.hostname)) {
        problems.push(`PUBLIC_URL: must be an https URL when NODE_ENV=production (got ${quote(publicUrl)})`);
      }
    }
  }
  return problems;
}
