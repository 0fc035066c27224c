export * from './authorization-code.grant.js';
export * from './authorization-code.module.js';
