import { createServiceApp, type ForwardedIdentityOptions, type Logger } from '@repopulse/core';
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { uiRoutes } from './ui-routes.js';

/** The analysts' UI: static files only; the UI reads the output gateway through the proxy's /api. */
export function createApp(options: {
  logger: Logger;
  registry: Registry;
  uiDirectory: string;
  /** The permission proxy's signature, checked on every request (even for static files). */
  forwardedIdentity: ForwardedIdentityOptions;
}): Express {
  return createServiceApp({
    logger: options.logger,
    registry: options.registry,
    checks: {},
    forwardedIdentity: options.forwardedIdentity,
    routes(app) {
      app.use(uiRoutes({ directory: options.uiDirectory }));
    },
  });
}
