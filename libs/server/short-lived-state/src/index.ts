export * from './short-lived-state.store.js';
export * from './store-unavailable.error.js';
export * from './in-memory-short-lived-state.store.js';
