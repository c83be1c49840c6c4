import { createServiceApp, type Logger } from '@repopulse/core';
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { uiRoutes } from './ui-routes.js';

/** The analysts' UI: static files only; the UI reads the output gateway through the proxy's /api. */
export function createApp(options: { logger: Logger; registry: Registry; uiDirectory: string }): Express {
  return createServiceApp({
    logger: options.logger,
    registry: options.registry,
    checks: {},
    routes(app) {
      app.use(uiRoutes({ directory: options.uiDirectory }));
    },
  });
}
