import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '../logging/index.js';
import { httpMetrics } from './http-metrics.js';
import { operationsRoutes, type ReadinessCheck } from './operations-routes.js';
import { notFoundHandler, problemErrorHandler } from './problem-details.js';
import { requestId } from './request-id.js';
import { securityHeaders } from './security-headers.js';

export interface ServiceAppOptions {
  logger: Logger;
  registry: Registry;
  /** Named dependency checks behind `/ready`. */
  checks: Record<string, ReadinessCheck>;
  /** Adds the module's own routes between the common front and the error handling. */
  routes?: (app: Express) => void;
}

/**
 * The frame every HTTP module shares: security headers (the strict `api` policy; a module's pages set
 * `page` on their own router), request ids, request metrics, /health, /ready and /metrics, the module's
 * routes, then 404 and the one problem+json error handler.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders());
  app.use(requestId());
  app.use(httpMetrics(options.registry));
  app.use(operationsRoutes({ checks: options.checks, registry: options.registry }));
  options.routes?.(app);
  app.use(notFoundHandler);
  app.use(problemErrorHandler(options.logger));
  return app;
}
