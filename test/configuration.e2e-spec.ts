import { spawnSync } from 'node:child_process';
import { SERVER_ENTRY } from './support/tessera-process.js';

function run(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [SERVER_ENTRY], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe('configuration is validated at start', () => {
  it('names every bad variable on one line each and exits non-zero without a stack trace', () => {
    const secret = 'c2hvcnQ=';
    const result = run({
      PORT: 'abc',
      PUBLIC_URL: 'ftp://example.com',
      KEY_ENCRYPTION_KEY: secret,
      BOOTSTRAP_CLIENT_ID: 'only-the-id',
      DATABASE_URL: 'mysql://user:hunter2@db/x',
    });
    expect(result.status).not.toBe(0);
    for (const variable of ['PORT', 'PUBLIC_URL', 'KEY_ENCRYPTION_KEY', 'BOOTSTRAP_CLIENT_SECRET', 'DATABASE_URL']) {
      expect(result.stderr).toMatch(new RegExp(`^\\s*- ${variable}: .+$`, 'm'));
    }
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).not.toContain(secret);
    expect(result.stderr).not.toContain('hunter2');
    expect(result.stdout).toBe('');
  });

  it('requires KEY_ENCRYPTION_KEY in production', () => {
    const result = run({ NODE_ENV: 'production', PUBLIC_URL: 'https://auth.example.com', DATABASE_URL: 'postgres://x@127.0.0.1:1/x' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/KEY_ENCRYPTION_KEY: .*production/i);
  });

  it('exits with one clear line when the database cannot be reached', () => {
    const result = run({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      KEY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      PORT: '0',
      LOG_LEVEL: 'silent',
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^Tessera failed to start: /);
  });
});
