export { createLogger } from './create-logger.js';
export type { Logger, LoggerOptions } from './create-logger.js';
export { currentContext, runWithContext } from './request-context.js';
export type { WorkContext } from './request-context.js';
