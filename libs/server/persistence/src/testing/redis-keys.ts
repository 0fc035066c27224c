import { createClient } from 'redis';

/**
 * Deletes every key under `prefix` on the Redis at `url`: specs that share a Redis (REDIS_URL) keep
 * their keys under a random prefix and clear only those, never the whole database.
 */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const admin = createClient({ url });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    const keys: string[] = [];
    for await (const batch of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) keys.push(...batch);
    if (keys.length > 0) await admin.unlink(keys);
  } finally {
    admin.destroy();
  }
}
