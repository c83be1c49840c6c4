import { collectDefaultMetrics, Registry } from 'prom-client';
import { createDatabase, createLogger, startHttpServer, stopOnSignal } from '@repopulse/core';
import { createApp } from './app.js';
import { loadConfig } from './config.js';

// A read API answers within seconds or not at all; a runaway query must not hold a connection.
const statementTimeoutMs = 10_000;

const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL, module: 'output-gateway' });
const database = createDatabase({
  url: config.DATABASE_READ_URL ?? config.DATABASE_URL,
  logger,
  applicationName: 'output-gateway',
  statementTimeoutMs,
});
const registry = new Registry();
collectDefaultMetrics({ register: registry });

const server = await startHttpServer(
  createApp({ database, logger, registry, forwardedIdentity: { secrets: config.INTERNAL_SECRET } }),
  config.PORT,
  config.HOST,
);
logger.info('output gateway listening', { port: server.port });

stopOnSignal(logger, async () => {
  await server.close(config.SHUTDOWN_TIMEOUT_MS);
  await database.close();
});
