import {
  ConfigError,
  createDatabase,
  createLogger,
  ensureDatabaseExists,
  loadConfigOrExit,
  migrateDatabase,
  startHttpServer,
  stopOnSignal,
} from '@repopulse/core';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { permissionProxyConfig } from './config.js';
import { createProxy, type Proxy } from './create-proxy.js';

const config = loadConfigOrExit(permissionProxyConfig);
const logger = createLogger({ level: config.LOG_LEVEL, module: 'permission-proxy' });
const registry = new Registry();
collectDefaultMetrics({ register: registry });

// The proxy creates the first admin, so the schema must be there: migrating is idempotent and locked.
await ensureDatabaseExists(config.DATABASE_URL);
await migrateDatabase(config.DATABASE_URL, logger);
const database = createDatabase({
  url: config.DATABASE_URL,
  logger,
  applicationName: 'permission-proxy',
  maxConnections: 10,
});

let proxy: Proxy;
try {
  proxy = await createProxy({ config, database, logger, registry });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`configuration error: ${error.message}\n`);
  process.exit(78);
}
const server = await startHttpServer(proxy.app, config.PORT, config.HOST, {
  headersTimeoutMs: config.CLIENT_HEADERS_TIMEOUT_MS,
  requestTimeoutMs: config.CLIENT_REQUEST_TIMEOUT_MS,
});
logger.info('permission proxy listening', { port: server.port });

stopOnSignal(logger, async () => {
  await server.close(config.SHUTDOWN_TIMEOUT_MS);
  await proxy.stop();
  await database.close();
});
