// Test support only: never imported by production code (lint), never built into dist/ (tools/build-server.mjs).
export * from './authorization-code-grant.js';
