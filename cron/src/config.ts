import { integer, oneOf, optional, port, text, variables } from '@repopulse/core';

export const cronConfig = {
  PORT: port(3006),
  HOST: variables.HOST,
  DATABASE_URL: variables.DATABASE_URL,
  AMQP_URL: variables.AMQP_URL,
  QUEUE_PREFIX: variables.QUEUE_PREFIX,
  QUEUE_RETRY_DELAYS_MS: variables.QUEUE_RETRY_DELAYS_MS,
  PUBLISH_CONFIRM_TIMEOUT_MS: variables.PUBLISH_CONFIRM_TIMEOUT_MS,
  LOG_LEVEL: variables.LOG_LEVEL,
  SHUTDOWN_TIMEOUT_MS: variables.SHUTDOWN_TIMEOUT_MS,
  /** Occurrences missed while no replica ran: `skip` them, or `run-once` (the latest of them, once). */
  CRON_CATCH_UP: oneOf(['skip', 'run-once'] as const, 'run-once'),
  /** How often the sources table is read again: an admin's change takes effect within this. */
  CRON_RELOAD_INTERVAL_MS: integer({ min: 100, max: 300_000, defaultValue: 2_000 }),
  CRON_TIMEZONE: variables.CRON_TIMEZONE,
  /** A queued or running crawl untouched this long no longer blocks its source's next occurrence. */
  CRON_STALE_RUN_AFTER_MS: integer({ min: 1_000, max: 7 * 86_400_000, defaultValue: 6 * 3_600_000 }),
  /**
   * How long bookkeeping rows are kept, in days (pruned by cron every RETENTION_INTERVAL_MS). The inbox must
   * outlive any redelivery and retry (minutes), suppliers' event ids any resend of a batch.
   */
  RETENTION_PROCESSED_MESSAGES_DAYS: integer({ min: 1, max: 36_500, defaultValue: 30 }),
  RETENTION_PROCESSED_EVENTS_DAYS: integer({ min: 1, max: 36_500, defaultValue: 400 }),
  RETENTION_AUDIT_DAYS: integer({ min: 1, max: 36_500, defaultValue: 365 }),
  RETENTION_USAGE_DAYS: integer({ min: 1, max: 36_500, defaultValue: 400 }),
  RETENTION_INTERVAL_MS: integer({ min: 1_000, max: 7 * 86_400_000, defaultValue: 3_600_000 }),
  /** Names this replica in the firings it records (default: host name and process id). */
  CRON_REPLICA_ID: optional(
    text({ pattern: /^[\w.:-]{1,100}$/, description: 'up to 100 letters, digits, . : - _' }),
  ),
};
