export * from './audit-event.js';
export * from './audit-event.repository.js';
export * from './audit.service.js';
