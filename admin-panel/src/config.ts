import { fileURLToPath } from 'node:url';
import { port, text, url, variables } from '@repopulse/core';

export const adminPanelConfig = {
  PORT: port(3003),
  HOST: variables.HOST,
  INTERNAL_SECRET: variables.INTERNAL_SECRET,
  DATABASE_URL: variables.DATABASE_URL,
  AMQP_URL: variables.AMQP_URL,
  QUEUE_PREFIX: variables.QUEUE_PREFIX,
  // The same delays as the engine's: the admin panel declares the topology too, retry queues included.
  QUEUE_RETRY_DELAYS_MS: variables.QUEUE_RETRY_DELAYS_MS,
  QUEUE_PREFETCH: variables.QUEUE_PREFETCH,
  PUBLISH_CONFIRM_TIMEOUT_MS: variables.PUBLISH_CONFIRM_TIMEOUT_MS,
  LOG_LEVEL: variables.LOG_LEVEL,
  SHUTDOWN_TIMEOUT_MS: variables.SHUTDOWN_TIMEOUT_MS,
  CRON_TIMEZONE: variables.CRON_TIMEZONE,
  // Git sources may name local paths, file:// and private addresses only with it.
  GIT_ALLOW_LOCAL: variables.GIT_ALLOW_LOCAL,
  /** RabbitMQ's management HTTP API, for queue rates; without it `/api/queues` shows depths only. */
  RABBITMQ_MANAGEMENT_URL: url(['http', 'https'], 'http://guest:guest@127.0.0.1:15672'),
  /** Where the permission proxy is reached from outside: webhook URLs shown to admins start with it. */
  PUBLIC_URL: url(['http', 'https'], 'http://localhost:8080'),
  /** The built admin UI (`npm run build` writes it to admin-panel/dist-ui). */
  ADMIN_UI_DIR: text({ defaultValue: fileURLToPath(new URL('../dist-ui', import.meta.url)) }),
};
