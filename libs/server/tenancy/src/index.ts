export * from './tenant.js';
export * from './tenant.repository.js';
export * from './issuer.js';
export * from './tenancy.options.js';
export * from './tenants.service.js';
export * from './scope.js';
export * from './scope.repository.js';
export * from './scopes.service.js';
