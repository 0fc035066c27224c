export * from './observed-event.js';
export * from './server-events.js';
