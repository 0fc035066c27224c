export * from './client.js';
export * from './client.repository.js';
export * from './client-secret.hasher.js';
export * from './clients.options.js';
export * from './clients.service.js';
