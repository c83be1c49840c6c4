import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '../logging/index.js';
import { httpMetrics } from './http-metrics.js';
import { operationsRoutes, type ReadinessCheck } from './operations-routes.js';
import { notFoundHandler, problemErrorHandler } from './problem-details.js';
import { requestId } from './request-id.js';
import { requireForwardedIdentity, type ForwardedIdentityOptions } from './require-forwarded-identity.js';
import { securityHeaders } from './security-headers.js';

interface CommonServiceAppOptions {
  logger: Logger;
  registry: Registry;
  /** Named dependency checks behind `/ready`. */
  checks: Record<string, ReadinessCheck>;
}

/**
 * A module with routes of its own must say how it checks the permission proxy's signature: there is no
 * way to build one that answers unsigned requests. Modules that serve only /health, /ready and /metrics
 * (the engine, cron) have no routes and need none.
 */
export type ServiceAppOptions = CommonServiceAppOptions &
  (
    | { routes?: undefined; forwardedIdentity?: undefined }
    | {
        /** Adds the module's own routes between the common front and the error handling. */
        routes: (app: Express) => void;
        forwardedIdentity: ForwardedIdentityOptions;
      }
  );

/**
 * The frame every HTTP module shares: security headers (the strict `api` policy; a module's pages set
 * `page` on their own router), request ids, request metrics, /health, /ready and /metrics, the
 * proxy's signature check, the module's routes, then 404 and the one problem+json error handler. Routes
 * match case-sensitively and strictly (see createRouter).
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.use(securityHeaders());
  app.use(requestId());
  app.use(httpMetrics(options.registry));
  app.use(operationsRoutes({ checks: options.checks, registry: options.registry }));
  if (options.routes) {
    app.use(requireForwardedIdentity(options.forwardedIdentity));
    options.routes(app);
  }
  app.use(notFoundHandler);
  app.use(problemErrorHandler(options.logger));
  return app;
}
