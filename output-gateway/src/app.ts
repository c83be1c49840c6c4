import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { createServiceApp, type Database, type ForwardedIdentityOptions, type Logger } from '@repopulse/core';
import { activityRoutes } from './activity/activity-routes.js';
import { compareRoutes } from './compare/compare-routes.js';
import { metricSeriesRoutes } from './metrics/metric-series-routes.js';
import { openApiRoute } from './openapi/openapi-route.js';
import { organizationRoutes } from './organizations/organization-routes.js';
import { repositoryRoutes } from './repositories/repository-routes.js';
import { refuseScopedValues } from './scopes/refuse-scoped-values.js';
import { trendsRoutes } from './trends/trends-routes.js';

export interface AppDependencies {
  database: Database;
  logger: Logger;
  registry: Registry;
  /** The permission proxy's signature, checked on every request. */
  forwardedIdentity: ForwardedIdentityOptions;
}

/**
 * The read API, built from its dependencies and not listening: `src/index.ts` and the tests mount it.
 * Core's frame adds request ids, request metrics, /health, /ready, /metrics, 404 and problem+json; it
 * also turns off express's own ETags, which sendCacheableJson computes from the body instead. The caller's
 * scope (`scopes/read-scope.ts`) is applied by each endpoint where it reads the data.
 */
export function createApp({ database, logger, registry, forwardedIdentity }: AppDependencies): Express {
  return createServiceApp({
    logger,
    registry,
    checks: { postgres: () => database.ping() },
    forwardedIdentity,
    routes(app) {
      app.use('/v1', refuseScopedValues);
      app.use('/v1', openApiRoute());
      app.use('/v1', activityRoutes({ database }));
      app.use('/v1', repositoryRoutes({ database }));
      app.use('/v1', metricSeriesRoutes({ database }));
      app.use('/v1', compareRoutes({ database }));
      app.use('/v1', organizationRoutes({ database }));
      app.use('/v1', trendsRoutes({ database }));
    },
  });
}
