import { hostname } from 'node:os';
import {
  BrokerConnection,
  createDatabase,
  createPeriodicTask,
  createLogger,
  createOutboxRelay,
  ensureDatabaseExists,
  loadConfigOrExit,
  migrateDatabase,
  pruneExpiredRows,
  startHttpServer,
  stopOnSignal,
} from '@repopulse/core';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createApp } from './app.js';
import { cronConfig } from './config.js';
import { createCronMetrics } from './cron-metrics.js';
import { createScheduler } from './scheduler.js';

const config = loadConfigOrExit(cronConfig);
const replicaId = config.CRON_REPLICA_ID ?? `${hostname()}-${process.pid}`;
const logger = createLogger({ level: config.LOG_LEVEL, module: 'cron' }).child({ replicaId });
const registry = new Registry();
collectDefaultMetrics({ register: registry });

// Cron may start before the engine on a fresh install: it migrates too (under the migration lock).
await ensureDatabaseExists(config.DATABASE_URL);
await migrateDatabase(config.DATABASE_URL, logger);
const database = createDatabase({
  url: config.DATABASE_URL,
  logger,
  applicationName: 'cron',
  maxConnections: 4,
});

const broker = new BrokerConnection({
  url: config.AMQP_URL,
  prefix: config.QUEUE_PREFIX,
  retryDelaysMs: config.QUEUE_RETRY_DELAYS_MS,
  confirmTimeoutMs: config.PUBLISH_CONFIRM_TIMEOUT_MS,
  logger,
});
await broker.start();

// Firings write their crawl messages to the outbox with the run; this relay sends them (the engine's too).
const relay = createOutboxRelay({ database, publisher: broker, logger });
relay.start();
const scheduler = createScheduler({
  database,
  relay,
  logger,
  metrics: createCronMetrics(registry),
  replicaId,
  timezone: config.CRON_TIMEZONE,
  catchUp: config.CRON_CATCH_UP,
  reloadIntervalMs: config.CRON_RELOAD_INTERVAL_MS,
  staleRunAfterMs: config.CRON_STALE_RUN_AFTER_MS,
});
await scheduler.start();

// Bookkeeping that would otherwise grow for ever (the inbox, suppliers' event ids, the audit log, usage):
// deleted past its retention. Every replica prunes (a delete is harmless twice); the jitter spreads them.
const retention = {
  processedMessagesDays: config.RETENTION_PROCESSED_MESSAGES_DAYS,
  processedEventsDays: config.RETENTION_PROCESSED_EVENTS_DAYS,
  auditDays: config.RETENTION_AUDIT_DAYS,
  usageDays: config.RETENTION_USAGE_DAYS,
};
const pruning = createPeriodicTask({
  name: 'pruning expired rows',
  intervalMs: config.RETENTION_INTERVAL_MS,
  jitterMs: Math.min(60_000, config.RETENTION_INTERVAL_MS / 10),
  logger,
  run: async () => {
    const deleted = await pruneExpiredRows(database, retention);
    logger.info('expired rows pruned', { deleted });
  },
});
void pruning.runNow();
pruning.start();

const server = await startHttpServer(
  createApp({ database, brokerCheck: () => broker.check(), logger, registry }),
  config.PORT,
  config.HOST,
);
logger.info('cron running', {
  port: server.port,
  timezone: config.CRON_TIMEZONE,
  catchUp: config.CRON_CATCH_UP,
});

stopOnSignal(logger, async () => {
  await server.close(config.SHUTDOWN_TIMEOUT_MS);
  await scheduler.stop();
  await pruning.stop();
  await relay.relayPending().catch(() => 0);
  await relay.stop();
  await broker.close();
  await database.close();
});
