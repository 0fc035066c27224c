export * from './signing-key.js';
export * from './signing-key.repository.js';
export * from './key-encryption.js';
export * from './keys.options.js';
export * from './keys.service.js';
