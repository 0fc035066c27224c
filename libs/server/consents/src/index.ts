export * from './consent.js';
export * from './consent.repository.js';
export * from './consents.service.js';
