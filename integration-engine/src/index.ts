import {
  BrokerConnection,
  createDatabase,
  createLogger,
  ensureDatabaseExists,
  loadConfigOrExit,
  migrateDatabase,
  startHttpServer,
  stopOnSignal,
} from '@repopulse/core';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createApp } from './app.js';
import { integrationEngineConfig } from './config.js';
import { createEngine, engineConnectionsNeeded } from './engine.js';

const config = loadConfigOrExit(integrationEngineConfig);
const logger = createLogger({ level: config.LOG_LEVEL, module: 'integration-engine' });
const registry = new Registry();
collectDefaultMetrics({ register: registry });

// The engine owns the schema: it migrates at start (under the migration lock, so replicas may race).
await ensureDatabaseExists(config.DATABASE_URL);
await migrateDatabase(config.DATABASE_URL, logger);
const database = createDatabase({
  url: config.DATABASE_URL,
  logger,
  applicationName: 'integration-engine',
  maxConnections: engineConnectionsNeeded(config.QUEUE_PREFETCH),
});

const broker = new BrokerConnection({
  url: config.AMQP_URL,
  prefix: config.QUEUE_PREFIX,
  retryDelaysMs: config.QUEUE_RETRY_DELAYS_MS,
  confirmTimeoutMs: config.PUBLISH_CONFIRM_TIMEOUT_MS,
  logger,
});
await broker.start();

const engine = createEngine({
  database,
  broker,
  logger,
  registry,
  prefetch: config.QUEUE_PREFETCH,
  maxAttempts: config.QUEUE_MAX_ATTEMPTS,
  retryDelaysMs: config.QUEUE_RETRY_DELAYS_MS,
  github: { apiUrl: config.GITHUB_API_URL, tokens: config.GITHUB_TOKENS },
  gitCacheDir: config.GIT_CACHE_DIR,
  gitTargets: { allowLocal: config.GIT_ALLOW_LOCAL },
  metricsComputeDelayMs: config.METRICS_COMPUTE_DELAY_MS,
});
await engine.start();

const server = await startHttpServer(
  createApp({ database, brokerCheck: () => broker.check(), logger, registry }),
  config.PORT,
  config.HOST,
);
logger.info('integration engine running', { port: server.port });

stopOnSignal(logger, async () => {
  await server.close(config.SHUTDOWN_TIMEOUT_MS);
  await engine.stop(config.SHUTDOWN_TIMEOUT_MS);
  await broker.close();
  await database.close();
});
