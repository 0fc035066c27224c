export * from './invalidation-bus.js';
export * from './cached-lookup.js';
export * from './in-process-invalidation.bus.js';
