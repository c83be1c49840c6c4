import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { createServiceApp, type Database, type Logger } from '@repopulse/core';
import { activityRoutes } from './activity/activity-routes.js';

export interface AppDependencies {
  database: Database;
  logger: Logger;
  registry: Registry;
}

/**
 * The read API, built from its dependencies and not listening: `src/index.ts` and the tests mount it.
 * Core's frame adds request ids, request metrics, /health, /ready, /metrics, 404 and problem+json; it
 * also turns off express's own ETags, which sendCacheableJson computes from the body instead.
 */
export function createApp({ database, logger, registry }: AppDependencies): Express {
  return createServiceApp({
    logger,
    registry,
    checks: { postgres: () => database.ping() },
    routes(app) {
      app.use('/v1', activityRoutes({ database }));
    },
  });
}
