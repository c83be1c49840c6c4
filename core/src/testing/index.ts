export { createTestDatabase, prepareTemplateDatabase, templateDatabaseName } from './test-database.js';
export type { TestDatabase } from './test-database.js';
export {
  connectTestBroker,
  drainQueue,
  queueDepth,
  removeTestTopology,
  testAmqpUrl,
  testAmqpUrlVia,
  startTestBrokerProxy,
  testQueuePrefix,
} from './test-broker.js';
export type { InspectedMessage } from './test-broker.js';
export { startTestPostgres } from './test-postgres.js';
export type { TestPostgres } from './test-postgres.js';
export { startTcpProxy } from './tcp-proxy.js';
export type { TcpProxy } from './tcp-proxy.js';
export { waitFor } from './wait-for.js';
export { capturedLogger, testLogger } from './test-logger.js';
export type { LogLine } from './test-logger.js';
export {
  proxiedFetch,
  proxyHeadersFor,
  testForwardedIdentity,
  testInternalSecret,
} from './proxied-requests.js';
export type { TestCaller } from './proxied-requests.js';
export { fixedHostResolver } from './fixed-host-resolver.js';
export { parseContentSecurityPolicy } from './content-security-policy.js';
