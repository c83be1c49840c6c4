import { collectDefaultMetrics, Registry } from 'prom-client';
import {
  BrokerConnection,
  createCrawlTargetPolicy,
  createDatabase,
  createLogger,
  createOutboxRelay,
  ensureDatabaseExists,
  loadConfigOrExit,
  migrateDatabase,
  startHttpServer,
  stopOnSignal,
} from '@repopulse/core';
import { createApp } from './app.js';
import { adminPanelConfig } from './config.js';
import { createDeadLetterArchiver } from './dead-letters/dead-letter-archiver.js';
import { createQueueStats, vhostOf } from './queues/queue-stats.js';

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

const broker = new BrokerConnection({
  url: config.AMQP_URL,
  prefix: config.QUEUE_PREFIX,
  retryDelaysMs: config.QUEUE_RETRY_DELAYS_MS,
  confirmTimeoutMs: config.PUBLISH_CONFIRM_TIMEOUT_MS,
  logger,
});
await broker.start();
// Crawl triggers and dead-letter replays go out through the outbox; this relay sends them.
const relay = createOutboxRelay({ database, publisher: broker, logger });
relay.start();
const archiver = createDeadLetterArchiver({ broker, database, logger, prefetch: config.QUEUE_PREFETCH });
await archiver.start();

const queueStats = createQueueStats({
  broker,
  managementUrl: config.RABBITMQ_MANAGEMENT_URL,
  vhost: vhostOf(config.AMQP_URL),
  logger,
});
const server = await startHttpServer(
  createApp({
    database,
    logger,
    registry,
    relay,
    queueStats,
    brokerCheck: () => broker.check(),
    publicUrl: config.PUBLIC_URL,
    timezone: config.CRON_TIMEZONE,
    uiDirectory: config.ADMIN_UI_DIR,
    forwardedIdentity: { secrets: config.INTERNAL_SECRET },
    crawlTargets: createCrawlTargetPolicy({ allowLocal: config.GIT_ALLOW_LOCAL }),
  }),
  config.PORT,
  config.HOST,
);
logger.info('admin panel listening', { port: server.port });

stopOnSignal(logger, async () => {
  await server.close(config.SHUTDOWN_TIMEOUT_MS);
  await archiver.stop(config.SHUTDOWN_TIMEOUT_MS);
  await relay.relayPending().catch(() => 0);
  await relay.stop();
  await broker.close();
  await database.close();
});
