import { createServiceApp, type Database, type Logger } from '@repopulse/core';
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { requireAdmin } from './http/admin-identity.js';
import { sourcesRoutes } from './sources/sources-routes.js';

export interface AppDependencies {
  database: Database;
  logger: Logger;
  registry: Registry;
  /** The time zone cron reads schedules in: next run times are shown by it. */
  timezone: string;
}

/** The admin API under `/api` (admins only), built from its dependencies and not listening. */
export function createApp({ database, logger, registry, timezone }: AppDependencies): Express {
  return createServiceApp({
    logger,
    registry,
    checks: { postgres: () => database.ping() },
    routes(app) {
      app.use('/api', requireAdmin);
      app.use(sourcesRoutes({ database, timezone }));
    },
  });
}
