export * from './persistence.module.js';
export * from './data-source.js';
export { RedisShortLivedStateStore } from './stores/redis-short-lived-state.store.js';
export { startEmbeddedPostgres } from './embedded/embedded-postgres.js';
export { isDatabaseUnavailableError } from './database-availability.js';
export { parseRedisUrl, describeRedisTopology, RedisUrlError, REDIS_URL_FORMS, type RedisTopology } from './redis/redis-url.js';
