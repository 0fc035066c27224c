// Test support only: never imported by production code (lint), never built into dist/ (tools/build-server.mjs).
export * from './test-database.js';
export * from './persistence-fixtures.js';
export * from './redis-servers.js';
export * from './redis-keys.js';
