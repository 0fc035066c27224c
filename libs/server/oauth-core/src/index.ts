export * from './oauth-error.js';
export * from './scope-set.js';
export * from './request-params.js';
export * from './client-credentials-input.js';
export * from './grant-handler.js';
export * from './redirect-uri.js';
export * from './pkce.js';
export * from './authorization-request.js';
