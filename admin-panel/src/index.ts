import { collectDefaultMetrics, Registry } from 'prom-client';
import {
  createDatabase,
  createLogger,
  ensureDatabaseExists,
  loadConfigOrExit,
  migrateDatabase,
  startHttpServer,
  stopOnSignal,
} from '@repopulse/core';
import { createApp } from './app.js';
import { adminPanelConfig } from './config.js';

const config = loadConfigOrExit(adminPanelConfig);
const logger = createLogger({ level: config.LOG_LEVEL, module: 'admin-panel' });
// Whichever module starts first brings the schema up to date (under the migration lock).
await ensureDatabaseExists(config.DATABASE_URL);
await migrateDatabase(config.DATABASE_URL, logger);
const database = createDatabase({
  url: config.DATABASE_URL,
  logger,
  applicationName: 'admin-panel',
  maxConnections: 4,
});
const registry = new Registry();
collectDefaultMetrics({ register: registry });

const server = await startHttpServer(
  createApp({ database, logger, registry, timezone: config.CRON_TIMEZONE, uiDirectory: config.ADMIN_UI_DIR }),
  config.PORT,
);
logger.info('admin panel listening', { port: server.port });

stopOnSignal(logger, async () => {
  await server.close(config.SHUTDOWN_TIMEOUT_MS);
  await database.close();
});
