import {
  byteSize,
  flag,
  integer,
  integerList,
  oneOf,
  optional,
  secretList,
  sharedSecrets,
  text,
  timeZone,
  url,
} from './parsers.js';

/**
 * Every environment variable of the platform, with the defaults of docs/DESIGN.md. A module's composition
 * root picks the ones it uses and passes them to `loadConfigOrExit`.
 */
export const variables = {
  /**
   * The secret the permission proxy signs forwarded identities with and every module with routes checks
   * them with (`scripts/start.sh` makes one under ./data; the Swarm stack reads a Docker secret).
   */
  INTERNAL_SECRET: sharedSecrets(),
  /**
   * The address a module listens on. Internal modules default to loopback, so that on one machine only the
   * permission proxy is reachable from outside; containers set 0.0.0.0 (the Swarm stack does).
   */
  HOST: text({
    defaultValue: '127.0.0.1',
    pattern: /^[0-9A-Za-z.:-]+$/,
    description: 'an IP address or host name to listen on, such as 127.0.0.1 or 0.0.0.0',
  }),
  DATABASE_URL: url(['postgres', 'postgresql'], 'postgres://root@127.0.0.1:5432/repopulse'),
  AMQP_URL: url(['amqp', 'amqps'], 'amqp://guest:guest@127.0.0.1:5672'),
  /** Prefixes every exchange and queue name: lets tests and several installations share one broker. */
  QUEUE_PREFIX: text({
    defaultValue: '',
    pattern: /^[A-Za-z0-9._-]*$/,
    description: 'letters, digits, dots, dashes',
  }),
  QUEUE_PREFETCH: integer({ min: 1, max: 1000, defaultValue: 16 }),
  QUEUE_MAX_ATTEMPTS: integer({ min: 1, max: 100, defaultValue: 5 }),
  QUEUE_RETRY_DELAYS_MS: integerList([1_000, 10_000, 60_000, 300_000]),
  PUBLISH_CONFIRM_TIMEOUT_MS: integer({ min: 100, max: 120_000, defaultValue: 5_000 }),
  LOG_LEVEL: oneOf(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const, 'info'),
  INGEST_MAX_BODY_BYTES: byteSize(1024 * 1024),
  INGEST_MAX_EVENTS: integer({ min: 1, max: 100_000, defaultValue: 1_000 }),
  SHUTDOWN_TIMEOUT_MS: integer({ min: 0, max: 600_000, defaultValue: 10_000 }),
  /** How long a repository's metrics.compute waits after new facts, so a burst of them folds into one. */
  METRICS_COMPUTE_DELAY_MS: integer({ min: 0, max: 3_600_000, defaultValue: 5_000 }),
  GITHUB_WEBHOOK_SECRET: optional(text()),
  GITHUB_WEBHOOK_SECRET_CACHE_TTL_MS: integer({ min: 0, max: 3_600_000, defaultValue: 30_000 }),
  /** GitHub caps webhook payloads at 25 MB. */
  GITHUB_WEBHOOK_MAX_BODY_BYTES: byteSize(25 * 1024 * 1024),
  /** The GitHub token pool (comma-separated); none means anonymous requests (60 an hour). */
  GITHUB_TOKENS: secretList(),
  GITHUB_API_URL: url(['http', 'https'], 'https://api.github.com'),
  /** Where the git crawler keeps its bare mirrors. */
  GIT_CACHE_DIR: text({ defaultValue: './data/git' }),
  /**
   * Lets sources an admin adds name local paths, file:// URLs and private or loopback addresses (the demo
   * source, tests, an intranet forge). Off by default; suppliers' crawl requests never may.
   */
  GIT_ALLOW_LOCAL: flag(false),
  /** Falls back to DATABASE_URL where a module reads it (a read replica in production). */
  DATABASE_READ_URL: optional(url(['postgres', 'postgresql'])),
  /** The time zone source schedules are read in: cron fires by it, the admin panel shows next runs by it. */
  CRON_TIMEZONE: timeZone('UTC'),
} as const;
