export type { AppConfig, KeyEncryptionKeySource, LogLevel } from './config.schema.js';
export { CONFIG_VARIABLES, LOG_LEVELS } from './config.schema.js';
export { ConfigError, formatConfigProblems, loadConfig, type LoadConfigOptions } from './load-config.js';
