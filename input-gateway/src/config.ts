import { integer, port, variables } from '@repopulse/core';
import { defaultFailingSenderLimits } from './webhooks/failing-senders.js';

export const inputGatewayConfig = {
  PORT: port(3001),
  HOST: variables.HOST,
  INTERNAL_SECRET: variables.INTERNAL_SECRET,
  AMQP_URL: variables.AMQP_URL,
  // Only to read the sources' webhook secrets and the crawl host allowlist (both cached) and to find an
  // admin's git source; the gateway keeps no state of its own.
  DATABASE_URL: variables.DATABASE_URL,
  DATABASE_READ_URL: variables.DATABASE_READ_URL,
  GITHUB_WEBHOOK_SECRET: variables.GITHUB_WEBHOOK_SECRET,
  GITHUB_WEBHOOK_SECRET_CACHE_TTL_MS: variables.GITHUB_WEBHOOK_SECRET_CACHE_TTL_MS,
  GITHUB_WEBHOOK_MAX_BODY_BYTES: variables.GITHUB_WEBHOOK_MAX_BODY_BYTES,
  /** Deliveries per sender address a minute that may fail their signature before the address is refused. */
  WEBHOOK_FAILURES_PER_MINUTE: integer({
    min: 1,
    max: 100_000,
    defaultValue: defaultFailingSenderLimits.failuresPerMinute,
  }),
  /** How long such an address is refused (429 + Retry-After). */
  WEBHOOK_FAILURE_BLOCK_SECONDS: integer({
    min: 1,
    max: 86_400,
    defaultValue: defaultFailingSenderLimits.blockSeconds,
  }),
  QUEUE_PREFIX: variables.QUEUE_PREFIX,
  QUEUE_RETRY_DELAYS_MS: variables.QUEUE_RETRY_DELAYS_MS,
  PUBLISH_CONFIRM_TIMEOUT_MS: variables.PUBLISH_CONFIRM_TIMEOUT_MS,
  INGEST_MAX_BODY_BYTES: variables.INGEST_MAX_BODY_BYTES,
  INGEST_MAX_EVENTS: variables.INGEST_MAX_EVENTS,
  // Admins' crawl requests may name the local or private targets of admin-added sources.
  GIT_ALLOW_LOCAL: variables.GIT_ALLOW_LOCAL,
  LOG_LEVEL: variables.LOG_LEVEL,
  SHUTDOWN_TIMEOUT_MS: variables.SHUTDOWN_TIMEOUT_MS,
};
