export * from './refresh-token.grant.js';
export * from './refresh-token.module.js';
