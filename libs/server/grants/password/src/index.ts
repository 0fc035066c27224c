export * from './password.grant.js';
export * from './password.module.js';
