export * from './rate-limiter.service.js';
export * from './login-protection.service.js';
