import {
  httpMetrics,
  isInternalAddress,
  notFoundHandler,
  operationsRoutes,
  problemErrorHandler,
  requestId,
  securityHeaders,
  type Database,
} from '@repopulse/core';
import express, { type Express, type Request, type Router } from 'express';
import type { Registry } from 'prom-client';
import { createProxyPipeline, type ProxyPipelineOptions } from './proxy-pipeline.js';
import { usageRoute } from './usage/usage-route.js';

export interface ProxyAppDependencies extends ProxyPipelineOptions {
  database: Database;
  /** The proxy's own `/auth/token` and `/auth/me`. */
  authRoutes: Router;
  /** Express's `trust proxy`: which hops' X-Forwarded-For to believe for the caller's address; false: none. */
  trustedProxies: string | false;
  registry: Registry;
}

/**
 * `/ready` and `/metrics` tell a lot about the platform and the proxy is the public door: they answer only
 * callers inside the network (Prometheus, health checks). Behind Traefik every socket is Traefik's, so the
 * caller is `request.ip`: the address that the trusted hops (`TRUSTED_PROXIES`) name, else the socket's.
 */
function fromInside(request: Request): boolean {
  return isInternalAddress(request.ip);
}

/** The only door in, without listening: `src/index.ts` and the tests mount it. */
export function createApp(dependencies: ProxyAppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', dependencies.trustedProxies);
  // Set before anything answers, so the proxy's own answers carry them; a forwarded answer's own headers
  // replace these (a panel's page policy reaches the browser), and the upstreams, which believe no
  // forwarded protocol, send no HSTS: it comes from here, when a trusted hop says the request was https.
  app.use(securityHeaders());
  // One spelling of each route (see core's createRouter), as upstreams do.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.use(requestId());
  app.use(httpMetrics(dependencies.registry));
  // The proxy's own liveness and readiness; everything else under / belongs to the client panel.
  app.use(
    operationsRoutes({
      checks: { postgres: () => dependencies.database.ping() },
      registry: dependencies.registry,
      isInternal: fromInside,
    }),
  );
  app.use(createProxyPipeline(dependencies));
  app.use(dependencies.authRoutes);
  app.use(usageRoute({ database: dependencies.database }));
  app.use(notFoundHandler);
  app.use(problemErrorHandler(dependencies.logger));
  return app;
}
