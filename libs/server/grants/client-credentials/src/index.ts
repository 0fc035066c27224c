export * from './client-credentials.grant.js';
export * from './client-credentials.module.js';
