import { createServiceApp, type Database, type Logger } from '@repopulse/core';
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { requireAdmin } from './http/admin-identity.js';
import { sourcesRoutes } from './sources/sources-routes.js';
import { uiRoutes } from './ui/ui-routes.js';

export interface AppDependencies {
  database: Database;
  logger: Logger;
  registry: Registry;
  /** The time zone cron reads schedules in: next run times are shown by it. */
  timezone: string;
  /** Where the built admin UI is (admin-panel/dist-ui). */
  uiDirectory: string;
}

/** The admin API under `/api` (admins only) and the admin UI under `/admin/`, not listening. */
export function createApp({ database, logger, registry, timezone, uiDirectory }: AppDependencies): Express {
  return createServiceApp({
    logger,
    registry,
    checks: { postgres: () => database.ping() },
    routes(app) {
      app.use('/api', requireAdmin);
      app.use(sourcesRoutes({ database, timezone }));
      app.use(uiRoutes({ directory: uiDirectory }));
    },
  });
}
