import {
  BrokerConnection,
  createCrawlHostAllowlistReader,
  createCrawlTargetPolicy,
  createDatabase,
  createGenericEventBatchValidator,
  createLogger,
  loadConfigOrExit,
  startHttpServer,
  stopOnSignal,
} from '@repopulse/core';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createApp } from './app.js';
import { inputGatewayConfig } from './config.js';
import { selectGitSource } from './crawl-requests/select-git-source.js';
import { createGithubWebhookValidators, createWebhookSecretLookup } from './webhooks/index.js';

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

// Webhook secrets, the crawl host allowlist and admins' git sources only: small pool, short statements.
// Not in /ready: webhooks keep working on the cached and fallback secrets while the database is away,
// crawl requests on the last allowlist read, and /v1/events does not need it at all.
const database = createDatabase({
  url: config.DATABASE_READ_URL ?? config.DATABASE_URL,
  logger,
  maxConnections: 2,
  applicationName: 'input-gateway',
  statementTimeoutMs: 2_000,
});
const webhookValidators = createGithubWebhookValidators();
logger.info('webhook schemas compiled', { ms: webhookValidators.compileMs });
const webhookSecrets = createWebhookSecretLookup({
  database,
  fallbackSecret: config.GITHUB_WEBHOOK_SECRET,
  cacheTtlMs: config.GITHUB_WEBHOOK_SECRET_CACHE_TTL_MS,
  logger,
});

// The allowlist is re-read at most every 10 s: an admin's edit takes effect within that.
const allowedHosts = createCrawlHostAllowlistReader({ database, cacheTtlMs: 10_000, logger });
const crawlTargets = {
  policy: createCrawlTargetPolicy({ allowLocal: config.GIT_ALLOW_LOCAL, allowedHosts }),
  allowedHosts,
  allowLocal: config.GIT_ALLOW_LOCAL,
  findGitSource: (target: string) => selectGitSource(database, target),
};

const app = createApp({
  publisher: broker,
  brokerCheck: () => broker.check(),
  validateBatch: createGenericEventBatchValidator(config.INGEST_MAX_EVENTS),
  maxBodyBytes: config.INGEST_MAX_BODY_BYTES,
  maxEvents: config.INGEST_MAX_EVENTS,
  webhookValidators,
  webhookSecrets,
  webhookMaxBodyBytes: config.GITHUB_WEBHOOK_MAX_BODY_BYTES,
  webhookFailureLimits: {
    failuresPerMinute: config.WEBHOOK_FAILURES_PER_MINUTE,
    blockSeconds: config.WEBHOOK_FAILURE_BLOCK_SECONDS,
  },
  crawlTargets,
  logger,
  registry,
  forwardedIdentity: { secrets: config.INTERNAL_SECRET },
});
const server = await startHttpServer(app, config.PORT, config.HOST);
logger.info('input gateway listening', { port: server.port });

stopOnSignal(logger, async () => {
  await server.close(config.SHUTDOWN_TIMEOUT_MS);
  await broker.close();
  await database.close();
});
