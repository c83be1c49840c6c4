import { port, variables } from '@repopulse/core';

export const integrationEngineConfig = {
  PORT: port(3005),
  HOST: variables.HOST,
  DATABASE_URL: variables.DATABASE_URL,
  AMQP_URL: variables.AMQP_URL,
  QUEUE_PREFIX: variables.QUEUE_PREFIX,
  QUEUE_PREFETCH: variables.QUEUE_PREFETCH,
  QUEUE_MAX_ATTEMPTS: variables.QUEUE_MAX_ATTEMPTS,
  QUEUE_RETRY_DELAYS_MS: variables.QUEUE_RETRY_DELAYS_MS,
  PUBLISH_CONFIRM_TIMEOUT_MS: variables.PUBLISH_CONFIRM_TIMEOUT_MS,
  GITHUB_TOKENS: variables.GITHUB_TOKENS,
  GITHUB_API_URL: variables.GITHUB_API_URL,
  GIT_CACHE_DIR: variables.GIT_CACHE_DIR,
  // Local paths, file:// and private addresses only for admins' sources (and clone URLs of the GitHub API).
  GIT_ALLOW_LOCAL: variables.GIT_ALLOW_LOCAL,
  LOG_LEVEL: variables.LOG_LEVEL,
  SHUTDOWN_TIMEOUT_MS: variables.SHUTDOWN_TIMEOUT_MS,
  METRICS_COMPUTE_DELAY_MS: variables.METRICS_COMPUTE_DELAY_MS,
};
