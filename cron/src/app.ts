import { createServiceApp, type Database, type Logger } from '@repopulse/core';
import type { Registry } from 'prom-client';

/** Cron serves only /health, /ready and /metrics. */
export function createApp(dependencies: {
  database: Database;
  brokerCheck: () => Promise<void>;
  logger: Logger;
  registry: Registry;
}) {
  return createServiceApp({
    logger: dependencies.logger,
    registry: dependencies.registry,
    checks: { postgres: () => dependencies.database.ping(), rabbitmq: dependencies.brokerCheck },
  });
}
