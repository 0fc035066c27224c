import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, formatConfigProblems, loadConfig } from './index.js';

const KEY = randomBytes(32).toString('base64');
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'tessera-config-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** A valid environment that touches no file: every test starts from it. */
const env = (overrides: Record<string, string | undefined> = {}) => ({ DATA_DIR: dataDir, KEY_ENCRYPTION_KEY: KEY, ...overrides });

async function problemsOf(input: Record<string, string | undefined>): Promise<string[]> {
  try {
    await loadConfig(input, { cwd: dataDir });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig defaults', () => {
  it('fills every default from CONTRACT.md', async () => {
    const config = await loadConfig(env());
    expect(config).toEqual({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      dataDir,
      keyEncryptionKey: Buffer.from(KEY, 'base64'),
      keyEncryptionKeySource: 'env',
      bootstrapAdmin: { email: 'admin@localhost' },
      nodeEnv: 'development',
      logLevel: 'info',
      metricsTenantLabel: false,
      trustProxy: false,
      shutdownDrainSeconds: 5,
      warnings: [],
    });
    expect(config).not.toHaveProperty('metricsPort');
    expect(config).not.toHaveProperty('databaseUrl');
    expect(config).not.toHaveProperty('redisUrl');
    expect(config).not.toHaveProperty('bootstrapClient');
  });

  it('treats blank values as unset', async () => {
    const config = await loadConfig(env({ PORT: '', PUBLIC_URL: '  ', DATABASE_URL: '', LOG_LEVEL: '' }));
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.databaseUrl).toBeUndefined();
  });

  it('ignores variables it does not know', async () => {
    await expect(loadConfig(env({ SOMETHING_ELSE: '???' }))).resolves.toBeDefined();
  });
});

describe('PORT', () => {
  it('accepts 0 to 65535 and builds the default PUBLIC_URL from it', async () => {
    expect((await loadConfig(env({ PORT: '0' }))).port).toBe(0);
    const config = await loadConfig(env({ PORT: '65535' }));
    expect(config.port).toBe(65535);
    expect(config.publicUrl).toBe('http://localhost:65535');
  });
  it.each(['abc', '-1', '65536', '3.5', '1e3', '0x10'])('rejects %p', async (value) => {
    expect(await problemsOf(env({ PORT: value }))).toEqual([`PORT: must be an integer from 0 to 65535 (got "${value}")`]);
  });
});

describe('PUBLIC_URL', () => {
  it('removes trailing slashes and keeps a path', async () => {
    expect((await loadConfig(env({ PUBLIC_URL: 'https://auth.example.com/' }))).publicUrl).toBe('https://auth.example.com');
    expect((await loadConfig(env({ PUBLIC_URL: 'https://example.com/auth//' }))).publicUrl).toBe('https://example.com/auth');
    expect((await loadConfig(env({ PUBLIC_URL: 'http://10.0.0.1:8080' }))).publicUrl).toBe('http://10.0.0.1:8080');
  });
  it.each([
    ['auth.example.com', 'must be an absolute http or https URL'],
    ['/relative', 'must be an absolute http or https URL'],
    ['ftp://example.com', 'must be an absolute http or https URL'],
    ['https://example.com/?a=1', 'must not have a query or fragment'],
    ['https://example.com/?', 'must not have a query or fragment'],
    ['https://example.com/#top', 'must not have a query or fragment'],
  ])('rejects %p', async (value, why) => {
    expect(await problemsOf(env({ PUBLIC_URL: value }))).toEqual([`PUBLIC_URL: ${why} (got "${value}")`]);
  });
  it('rejects credentials without echoing them', async () => {
    const problems = await problemsOf(env({ PUBLIC_URL: 'https://user:hunter2hunter2@example.com' }));
    expect(problems).toEqual(['PUBLIC_URL: must not contain a user name or password']);
  });
  it('must be https in production unless the host is local', async () => {
    expect(await problemsOf(env({ NODE_ENV: 'production', PUBLIC_URL: 'http://auth.example.com' }))).toEqual([
      'PUBLIC_URL: must be an https URL when NODE_ENV=production (got "http://auth.example.com")',
    ]);
    for (const local of ['http://localhost:3000', 'http://127.0.0.1:3000']) {
      await expect(loadConfig(env({ NODE_ENV: 'production', PUBLIC_URL: local }))).resolves.toBeDefined();
    }
    expect((await loadConfig(env({ NODE_ENV: 'production' }))).publicUrl).toBe('http://localhost:3000');
    await expect(loadConfig(env({ NODE_ENV: 'production', PUBLIC_URL: 'https://auth.example.com' }))).resolves.toBeDefined();
  });
});

describe('METRICS_PORT and METRICS_TENANT_LABEL', () => {
  it('opens no metrics listener unless METRICS_PORT is set, and labels no tenant unless asked', async () => {
    const config = await loadConfig(env({ METRICS_PORT: '9464', METRICS_TENANT_LABEL: 'TRUE' }));
    expect(config.metricsPort).toBe(9464);
    expect(config.metricsTenantLabel).toBe(true);
    expect((await loadConfig(env({ METRICS_TENANT_LABEL: 'false' }))).metricsTenantLabel).toBe(false);
  });
  it.each(['0', '65536', 'abc', '9464.5'])('rejects METRICS_PORT %p', async (value) => {
    expect(await problemsOf(env({ METRICS_PORT: value }))).toEqual([`METRICS_PORT: must be an integer from 1 to 65535 (got "${value}")`]);
  });
  it('refuses a metrics port equal to the public one', async () => {
    expect(await problemsOf(env({ PORT: '8080', METRICS_PORT: '8080' }))).toEqual([
      'METRICS_PORT: must differ from PORT (the metrics listener is never the public one; got 8080)',
    ]);
  });
  it.each(['yes', '1', 'on'])('rejects METRICS_TENANT_LABEL %p', async (value) => {
    expect(await problemsOf(env({ METRICS_TENANT_LABEL: value }))).toEqual([`METRICS_TENANT_LABEL: must be true or false (got "${value}")`]);
  });
});

describe('TRUST_PROXY', () => {
  it('trusts no proxy by default or with none', async () => {
    expect((await loadConfig(env())).trustProxy).toBe(false);
    expect((await loadConfig(env({ TRUST_PROXY: 'None' }))).trustProxy).toBe(false);
  });
  it('takes a hop count, or addresses, CIDR ranges and the names of address ranges', async () => {
    expect((await loadConfig(env({ TRUST_PROXY: '1' }))).trustProxy).toBe(1);
    expect((await loadConfig(env({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,fd00::/8, ::1, Loopback,uniquelocal' }))).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      'fd00::/8',
      '::1',
      'loopback',
      'uniquelocal',
    ]);
  });
  it.each([
    ['true', 'must be none, a hop count, or a comma-separated list of IP addresses, CIDR ranges, loopback, linklocal and uniquelocal (got "true")'],
    ['*', 'must be none, a hop count, or a comma-separated list of IP addresses, CIDR ranges, loopback, linklocal and uniquelocal (got "*")'],
    ['10.0.0.0/33', 'must be none, a hop count, or a comma-separated list of IP addresses, CIDR ranges, loopback, linklocal and uniquelocal (got "10.0.0.0/33")'],
    ['10.0.0.1,proxy.local', 'must be none, a hop count, or a comma-separated list of IP addresses, CIDR ranges, loopback, linklocal and uniquelocal (got "proxy.local")'],
    ['0', 'a hop count must be from 1 to 10 (got "0")'],
    ['11', 'a hop count must be from 1 to 10 (got "11")'],
  ])('rejects %p', async (value, why) => {
    expect(await problemsOf(env({ TRUST_PROXY: value }))).toEqual([`TRUST_PROXY: ${why}`]);
  });
});

describe('SHUTDOWN_DRAIN_SECONDS', () => {
  it('drains 5 seconds by default and accepts 0 to 300', async () => {
    expect((await loadConfig(env({ SHUTDOWN_DRAIN_SECONDS: '0' }))).shutdownDrainSeconds).toBe(0);
    expect((await loadConfig(env({ SHUTDOWN_DRAIN_SECONDS: '300' }))).shutdownDrainSeconds).toBe(300);
  });
  it.each(['-1', '301', '2.5'])('rejects %p', async (value) => {
    expect(await problemsOf(env({ SHUTDOWN_DRAIN_SECONDS: value }))).toEqual([`SHUTDOWN_DRAIN_SECONDS: must be an integer from 0 to 300 (got "${value}")`]);
  });
});

describe('DATABASE_URL and REDIS_URL', () => {
  it('accepts postgres and redis URLs', async () => {
    const config = await loadConfig(
      env({ DATABASE_URL: 'postgresql://tessera:pw@db:5432/tessera', REDIS_URL: 'rediss://:pw@cache:6380/0' }),
    );
    expect(config.databaseUrl).toBe('postgresql://tessera:pw@db:5432/tessera');
    expect(config.redisUrl).toBe('rediss://:pw@cache:6380/0');
    expect((await loadConfig(env({ DATABASE_URL: 'postgres://db/x', REDIS_URL: 'redis://cache' }))).redisUrl).toBe('redis://cache');
  });
  it('rejects other schemes naming only the scheme, never the password', async () => {
    const problems = await problemsOf(
      env({ DATABASE_URL: 'mysql://root:s3cr3t-db@db/x', REDIS_URL: 'http://:s3cr3t-redis@cache' }),
    );
    expect(problems).toEqual([
      'DATABASE_URL: must be a postgres:// or postgresql:// URL (got a URL with scheme "mysql:")',
      'REDIS_URL: must be a redis://, rediss://, redis+cluster://, rediss+cluster://, redis+sentinel:// or rediss+sentinel:// URL (got a URL with scheme "http:")',
    ]);
  });
  it('rejects a value that is not a URL without echoing it', async () => {
    const problems = await problemsOf(env({ DATABASE_URL: 'tessera:s3cr3t-db@db' }));
    expect(problems).toEqual(['DATABASE_URL: must be a postgres:// or postgresql:// URL (got a URL with scheme "tessera:")']);
    const notUrl = await problemsOf(env({ REDIS_URL: ':s3cr3t redis' }));
    expect(notUrl).toEqual(['REDIS_URL: must be a redis://, rediss://, redis+cluster://, rediss+cluster://, redis+sentinel:// or rediss+sentinel:// URL (got a value that is not a URL)']);
  });
  it('accepts a Redis Cluster and a Sentinel URL (issue 6), kept as written', async () => {
    const cluster = 'rediss+cluster://app:s3cr3t@node-a:7000,node-b:7001,[::1]:7002';
    expect((await loadConfig(env({ REDIS_URL: cluster }))).redisUrl).toBe(cluster);
    const sentinel = 'redis+sentinel://:pw@s1:26379,s2/mymaster/2?sentinelPassword=sp';
    expect((await loadConfig(env({ REDIS_URL: sentinel }))).redisUrl).toBe(sentinel);
  });
  it('says what is wrong with a Cluster or Sentinel URL without echoing its password', async () => {
    const cases: Array<[string, string]> = [
      ['redis+cluster://:s3cr3t@', 'REDIS_URL: must list at least one host:port after the scheme'],
      ['redis+cluster://:s3cr3t@a:1,a:1', 'REDIS_URL: lists a:1 twice'],
      ['redis+cluster://:s3cr3t@a:1/3', 'REDIS_URL: a Redis Cluster has no databases other than 0: remove the path'],
      ['redis+cluster://:s3cr3t@a:99999', 'REDIS_URL: has a host list entry that is not host, host:port or [ipv6]:port'],
      ['redis+cluster://a:1?tls=yes', 'REDIS_URL: takes no query parameters (got one named "tls")'],
      ['redis+sentinel://:s3cr3t@s1:26379', 'REDIS_URL: must name the monitored primary and at most a database after the hosts, e.g. redis+sentinel://s1:26379,s2:26379/mymaster/0'],
      ['redis+sentinel://:s3cr3t@s1/mymaster/16', 'REDIS_URL: the database must be an integer from 0 to 15'],
      ['redis+sentinel://s1/m?sentinelPassword=s3cr3t&x=1', 'REDIS_URL: takes only the query parameters sentinelUsername, sentinelPassword (got one named "x")'],
      ['redis+sentinel://:%zz@s1/m', 'REDIS_URL: has a badly percent-encoded password'],
      ['redis+mesh://:s3cr3t@a:1', 'REDIS_URL: must be a redis://, rediss://, redis+cluster://, rediss+cluster://, redis+sentinel:// or rediss+sentinel:// URL (got a URL with scheme "redis+mesh:")'],
    ];
    for (const [value, problem] of cases) {
      const problems = await problemsOf(env({ REDIS_URL: value }));
      expect(problems).toEqual([problem]);
      expect(problems.join()).not.toContain('s3cr3t');
    }
  });
});

describe('DATA_DIR', () => {
  it('resolves a relative path against the working directory', async () => {
    const config = await loadConfig({ KEY_ENCRYPTION_KEY: KEY, DATA_DIR: 'state' }, { cwd: '/srv/tessera' });
    expect(config.dataDir).toBe('/srv/tessera/state');
    const byDefault = await loadConfig({ KEY_ENCRYPTION_KEY: KEY }, { cwd: '/srv/tessera' });
    expect(byDefault.dataDir).toBe('/srv/tessera/.data');
  });
});

describe('KEY_ENCRYPTION_KEY', () => {
  it('accepts base64 and base64url of 32 bytes', async () => {
    const bytes = randomBytes(32);
    expect((await loadConfig(env({ KEY_ENCRYPTION_KEY: bytes.toString('base64') }))).keyEncryptionKey).toEqual(bytes);
    expect((await loadConfig(env({ KEY_ENCRYPTION_KEY: bytes.toString('base64url') }))).keyEncryptionKey).toEqual(bytes);
  });
  it.each([
    ['16 bytes', randomBytes(16).toString('base64')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['not base64', `${'!'.repeat(43)}=`],
    ['hex', randomBytes(32).toString('hex')],
  ])('rejects %s without echoing the value', async (_, value) => {
    const problems = await problemsOf(env({ KEY_ENCRYPTION_KEY: value }));
    expect(problems).toEqual([
      'KEY_ENCRYPTION_KEY: must be base64 that decodes to exactly 32 bytes (generate one with `openssl rand -base64 32`)',
    ]);
    expect(problems.join('\n')).not.toContain(value);
  });

  it('generates a development key with mode 0600 on first start and reuses it later', async () => {
    const dir = path.join(dataDir, 'nested', 'data');
    const first = await loadConfig({ DATA_DIR: dir });
    expect(first.keyEncryptionKeySource).toBe('generated');
    expect(first.keyEncryptionKey).toHaveLength(32);
    expect(first.warnings).toEqual([expect.stringContaining('KEY_ENCRYPTION_KEY is unset: generated a development key')]);

    const file = path.join(dir, 'key-encryption.key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64')).toEqual(first.keyEncryptionKey);

    const second = await loadConfig({ DATA_DIR: dir });
    expect(second.keyEncryptionKeySource).toBe('file');
    expect(second.keyEncryptionKey).toEqual(first.keyEncryptionKey);
    expect(second.warnings).toEqual([expect.stringContaining('using the development key')]);
  });

  it('uses the injected randomness for the generated key', async () => {
    const fixed = Buffer.alloc(32, 7);
    const config = await loadConfig({ DATA_DIR: dataDir }, { randomBytes: () => fixed });
    expect(config.keyEncryptionKey).toEqual(fixed);
  });

  it('prefers the variable over the key file', async () => {
    await loadConfig({ DATA_DIR: dataDir });
    const config = await loadConfig({ DATA_DIR: dataDir, KEY_ENCRYPTION_KEY: KEY });
    expect(config.keyEncryptionKeySource).toBe('env');
    expect(config.keyEncryptionKey).toEqual(Buffer.from(KEY, 'base64'));
  });

  it('reports a corrupt key file without echoing its content', async () => {
    await writeFile(path.join(dataDir, 'key-encryption.key'), 'c2hvcnQ=\n', { mode: 0o600 });
    const problems = await problemsOf({ DATA_DIR: dataDir });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^KEY_ENCRYPTION_KEY: is unset and .*key-encryption\.key does not hold base64 of exactly 32 bytes/);
    expect(problems[0]).not.toContain('c2hvcnQ');
  });

  it('warns when the key file is readable by others', async () => {
    await writeFile(path.join(dataDir, 'key-encryption.key'), `${KEY}\n`, { mode: 0o644 });
    const config = await loadConfig({ DATA_DIR: dataDir });
    expect(config.keyEncryptionKeySource).toBe('file');
    expect(config.warnings).toContainEqual(expect.stringContaining('readable by other users'));
  });

  it('is required in production and no file is written', async () => {
    expect(await problemsOf({ DATA_DIR: dataDir, NODE_ENV: 'production' })).toEqual([
      'KEY_ENCRYPTION_KEY: is required when NODE_ENV=production (generate one with `openssl rand -base64 32`)',
    ]);
    await expect(stat(path.join(dataDir, 'key-encryption.key'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('writes no key file when the rest of the configuration is invalid', async () => {
    await problemsOf({ DATA_DIR: dataDir, PORT: 'abc' });
    await expect(stat(path.join(dataDir, 'key-encryption.key'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD', () => {
  it('lowercases the email and keeps the password', async () => {
    const config = await loadConfig(env({ BOOTSTRAP_ADMIN_EMAIL: ' Root@Example.COM ', BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery' }));
    expect(config.bootstrapAdmin).toEqual({ email: 'root@example.com', password: 'correct horse battery' });
  });
  it.each(['root', 'a b@c', '@example.com', 'root@'])('rejects the email %p', async (value) => {
    expect(await problemsOf(env({ BOOTSTRAP_ADMIN_EMAIL: value }))).toEqual([
      `BOOTSTRAP_ADMIN_EMAIL: must be an email address such as admin@example.com (got "${value}")`,
    ]);
  });
  it('rejects a password shorter than 12 characters without echoing it', async () => {
    const problems = await problemsOf(env({ BOOTSTRAP_ADMIN_PASSWORD: 'hunter2pass' }));
    expect(problems).toEqual(['BOOTSTRAP_ADMIN_PASSWORD: must be at least 12 characters long']);
  });
  it('accepts a password of exactly 12 characters', async () => {
    expect((await loadConfig(env({ BOOTSTRAP_ADMIN_PASSWORD: '123456789012' }))).bootstrapAdmin.password).toBe('123456789012');
  });
});

describe('BOOTSTRAP_CLIENT_ID and BOOTSTRAP_CLIENT_SECRET', () => {
  const SECRET = 'S'.repeat(32);
  it('builds the bootstrap client when both are set', async () => {
    const config = await loadConfig(env({ BOOTSTRAP_CLIENT_ID: 'ci-admin_1.x~y', BOOTSTRAP_CLIENT_SECRET: SECRET }));
    expect(config.bootstrapClient).toEqual({ clientId: 'ci-admin_1.x~y', clientSecret: SECRET });
  });
  it('rejects one without the other', async () => {
    expect(await problemsOf(env({ BOOTSTRAP_CLIENT_ID: 'ci' }))).toEqual([
      'BOOTSTRAP_CLIENT_SECRET: must be set when BOOTSTRAP_CLIENT_ID is set (set both or neither)',
    ]);
    const problems = await problemsOf(env({ BOOTSTRAP_CLIENT_SECRET: SECRET }));
    expect(problems).toEqual(['BOOTSTRAP_CLIENT_ID: must be set when BOOTSTRAP_CLIENT_SECRET is set (set both or neither)']);
    expect(problems.join('\n')).not.toContain(SECRET);
  });
  it.each(['has space', 'x'.repeat(101), 'slash/no'])('rejects the client id %p', async (value) => {
    const problems = await problemsOf(env({ BOOTSTRAP_CLIENT_ID: value, BOOTSTRAP_CLIENT_SECRET: SECRET }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^BOOTSTRAP_CLIENT_ID: must be 1 to 100 characters of A-Z a-z 0-9 \. _ ~ - \(got "/);
  });
  it('rejects a secret shorter than 32 characters without echoing it', async () => {
    const short = 'tooShortSecret-31-characters-xx';
    expect(await problemsOf(env({ BOOTSTRAP_CLIENT_ID: 'ci', BOOTSTRAP_CLIENT_SECRET: short }))).toEqual([
      'BOOTSTRAP_CLIENT_SECRET: must be at least 32 characters long',
    ]);
  });
});

describe('NODE_ENV and LOG_LEVEL', () => {
  it('lowercases both', async () => {
    const config = await loadConfig(env({ NODE_ENV: 'Test', LOG_LEVEL: 'DEBUG' }));
    expect(config.nodeEnv).toBe('test');
    expect(config.logLevel).toBe('debug');
  });
  it.each(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])('accepts LOG_LEVEL=%s', async (level) => {
    expect((await loadConfig(env({ LOG_LEVEL: level }))).logLevel).toBe(level);
  });
  it('rejects an unknown log level', async () => {
    expect(await problemsOf(env({ LOG_LEVEL: 'verbose' }))).toEqual([
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")',
    ]);
  });
});

describe('problem reporting', () => {
  const secrets = {
    KEY_ENCRYPTION_KEY: 'c2VjcmV0LWtleQ==',
    BOOTSTRAP_ADMIN_PASSWORD: 'pw-secret',
    BOOTSTRAP_CLIENT_SECRET: 'client-secret-value',
    DATABASE_URL: 'mysql://u:db-password@host/x',
    REDIS_URL: 'memcached://u:redis-password@host',
  };

  it('collects every problem at once, in variable order', async () => {
    const problems = await problemsOf({
      ...secrets,
      DATA_DIR: dataDir,
      PORT: 'abc',
      PUBLIC_URL: 'not a url',
      BOOTSTRAP_ADMIN_EMAIL: 'nobody',
      NODE_ENV: 'production',
      LOG_LEVEL: 'loud',
    });
    expect(problems.map((line) => line.split(':')[0])).toEqual([
      'PORT',
      'PUBLIC_URL',
      'DATABASE_URL',
      'REDIS_URL',
      'KEY_ENCRYPTION_KEY',
      'BOOTSTRAP_ADMIN_EMAIL',
      'BOOTSTRAP_ADMIN_PASSWORD',
      'BOOTSTRAP_CLIENT_SECRET',
      'LOG_LEVEL',
      'BOOTSTRAP_CLIENT_ID',
    ]);
    for (const line of problems) expect(line).not.toContain('\n');
  });

  it('never echoes a secret value', async () => {
    const problems = await problemsOf({ ...secrets, DATA_DIR: dataDir });
    const text = problems.join('\n');
    for (const value of ['c2VjcmV0LWtleQ', 'pw-secret', 'client-secret-value', 'db-password', 'redis-password']) {
      expect(text).not.toContain(value);
    }
    try {
      await loadConfig({ ...secrets, DATA_DIR: dataDir });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('pw-secret');
    }
  });

  it('formats the problems for printing', () => {
    const error = new ConfigError(['PORT: must be an integer from 0 to 65535 (got "abc")', 'LOG_LEVEL: bad']);
    expect(error).toBeInstanceOf(Error);
    expect(formatConfigProblems(error)).toBe(
      'Invalid configuration:\n  - PORT: must be an integer from 0 to 65535 (got "abc")\n  - LOG_LEVEL: bad',
    );
  });
});
