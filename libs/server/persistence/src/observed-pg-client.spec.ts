import { storeOperationCompleted } from '@tessera/observability';
import { ObservedPgClient } from './observed-pg-client.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('ObservedPgClient', () => {
  let client: ObservedPgClient;
  const seen: Array<{ operation: string; ok: boolean; seconds: number }> = [];
  let stop: () => void;

  beforeAll(async () => {
    client = new ObservedPgClient({ connectionString: DATABASE_URL });
    await client.connect();
    stop = storeOperationCompleted.subscribe(({ store, operation, ok, seconds }) => store === 'postgresql' && seen.push({ operation, ok, seconds }));
  });
  afterAll(async () => {
    stop();
    await client.end();
  });
  beforeEach(() => void seen.splice(0));

  it('times queries in promise and callback form, named by statement kind', async () => {
    await client.query('SELECT 1');
    await new Promise<void>((resolve, reject) => client.query({ text: 'WITH x AS (SELECT 1) SELECT * FROM x' }, (error: Error | null) => (error ? reject(error) : resolve())));
    expect(seen.map(({ operation, ok }) => [operation, ok])).toEqual([
      ['select', true],
      ['with', true],
    ]);
    expect(seen.every((s) => s.seconds > 0)).toBe(true);
  });

  it('counts a failed query as an error and still lets it fail', async () => {
    await expect(client.query('SELECT * FROM no_such_table_here')).rejects.toThrow(/no_such_table_here/);
    await expect(client.query('VACUUM no_such_table_here')).rejects.toThrow();
    expect(seen.map(({ operation, ok }) => [operation, ok])).toEqual([
      ['select', false],
      ['other', false],
    ]);
  });
});
