export * from './implicit.grant.js';
export * from './implicit.module.js';
