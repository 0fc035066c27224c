import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailableError } from './database-availability.js';

function serverError(code: string): pg.DatabaseError {
  const error = new pg.DatabaseError('server said no', 0, 'error');
  error.code = code;
  return error;
}

describe('isDatabaseUnavailableError', () => {
  it('recognises a refused connection from the real driver', async () => {
    const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:1/x', connectionTimeoutMillis: 2_000 });
    const error = await client.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it.each(['57P01', '57P03', '08006', '53300'])('recognises SQLSTATE %s, raw or wrapped in a failed query', (code) => {
    expect(isDatabaseUnavailableError(serverError(code))).toBe(true);
    expect(isDatabaseUnavailableError(new QueryFailedError('SELECT 1', [], serverError(code)))).toBe(true);
  });

  it('recognises a query whose connection ended under it (no SQLSTATE, no reply)', () => {
    expect(isDatabaseUnavailableError(new QueryFailedError('SELECT 1', [], new Error('gone')))).toBe(true);
    const reset = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    expect(isDatabaseUnavailableError(new QueryFailedError('SELECT 1', [], reset))).toBe(true);
  });

  it('leaves query errors and bugs alone (they stay 500 or their own status)', () => {
    expect(isDatabaseUnavailableError(new QueryFailedError('INSERT', [], serverError('23505')))).toBe(false);
    expect(isDatabaseUnavailableError(new QueryFailedError('SELECT', [], new TypeError('bad parameter')))).toBe(false);
    expect(isDatabaseUnavailableError(new Error('a bug'))).toBe(false);
    expect(isDatabaseUnavailableError(new TypeError('a bug'))).toBe(false);
    expect(isDatabaseUnavailableError(null)).toBe(false);
  });
});
