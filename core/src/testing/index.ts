export { createTestDatabase, prepareTemplateDatabase, templateDatabaseName } from './test-database.js';
export type { TestDatabase } from './test-database.js';
export { drainQueue, queueDepth, removeTestTopology, testAmqpUrl, testQueuePrefix } from './test-broker.js';
export type { InspectedMessage } from './test-broker.js';
export { startTcpProxy } from './tcp-proxy.js';
export type { TcpProxy } from './tcp-proxy.js';
export { waitFor } from './wait-for.js';
import { createLogger, type Logger } from '../logging/index.js';

/** A logger for tests: silent unless TEST_LOG_LEVEL asks for lines. */
export function testLogger(module = 'test'): Logger {
  const level = process.env.TEST_LOG_LEVEL;
  return createLogger({ level: level ?? 'error', module, silent: level === undefined });
}
