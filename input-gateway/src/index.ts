import {
  BrokerConnection,
  createGenericEventBatchValidator,
  createLogger,
  loadConfigOrExit,
  startHttpServer,
  stopOnSignal,
} from '@repopulse/core';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createApp } from './app.js';
import { inputGatewayConfig } from './config.js';

const config = loadConfigOrExit(inputGatewayConfig);
const logger = createLogger({ level: config.LOG_LEVEL, module: 'input-gateway' });
const registry = new Registry();
collectDefaultMetrics({ register: registry });

const broker = new BrokerConnection({
  url: config.AMQP_URL,
  prefix: config.QUEUE_PREFIX,
  retryDelaysMs: config.QUEUE_RETRY_DELAYS_MS,
  confirmTimeoutMs: config.PUBLISH_CONFIRM_TIMEOUT_MS,
  logger,
});
// The gateway listens even while the broker is away: it answers 503 until the connection is up.
await broker.start();

const app = createApp({
  publisher: broker,
  brokerCheck: () => broker.check(),
  validateBatch: createGenericEventBatchValidator(config.INGEST_MAX_EVENTS),
  maxBodyBytes: config.INGEST_MAX_BODY_BYTES,
  maxEvents: config.INGEST_MAX_EVENTS,
  logger,
  registry,
});
const server = await startHttpServer(app, config.PORT);
logger.info('input gateway listening', { port: server.port });

stopOnSignal(logger, async () => {
  await server.close(config.SHUTDOWN_TIMEOUT_MS);
  await broker.close();
});
