export * from './user.js';
export * from './user.repository.js';
export * from './password.hasher.js';
export * from './users.service.js';
