export * from './short-lived-state.store.js';
export * from './clock.js';
export * from './jwt.js';
export * from './access-token.service.js';
export * from './token-status.service.js';
export * from './introspection.service.js';
