import {
  httpMetrics,
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
  /** Express's `trust proxy`: which hops' X-Forwarded-For to believe for the caller's address. */
  trustedProxies: string;
  registry: Registry;
}

const internalAddress =
  /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|::1$|::ffff:127\.|::ffff:10\.|::ffff:192\.168\.|f[cd])/i;

/**
 * `/metrics` tells a lot about the platform and the proxy is the public door: it answers only to
 * addresses inside the network (Prometheus), judged by the socket's address, never a forwarded header.
 */
function fromInside(request: Request): boolean {
  return internalAddress.test(request.socket.remoteAddress ?? '');
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
  app.use(requestId());
  app.use(httpMetrics(dependencies.registry));
  // The proxy's own liveness and readiness; everything else under / belongs to the client panel.
  const operations = operationsRoutes({
    checks: { postgres: () => dependencies.database.ping() },
    registry: dependencies.registry,
  });
  app.use((request, response, next) => {
    if (request.path === '/metrics' && !fromInside(request)) notFoundHandler(request, response, next);
    else operations(request, response, next);
  });
  app.use(createProxyPipeline(dependencies));
  app.use(dependencies.authRoutes);
  app.use(usageRoute({ database: dependencies.database }));
  app.use(notFoundHandler);
  app.use(problemErrorHandler(dependencies.logger));
  return app;
}
