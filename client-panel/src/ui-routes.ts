import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRouter, securityHeaders, UnavailableError } from '@repopulse/core';
import express, { type Router } from 'express';

/**
 * The built dashboards at `/`. Hashed assets are cached for a year; index.html is revalidated every time,
 * so a new version shows at the next load; any other GET path gets index.html (deep links are the UI's
 * own routes). Without a build (`npm run build` makes one) pages answer 503 saying so. index.html carries
 * the page Content-Security-Policy (core's `securityHeaders`): the built UI has no inline script or style.
 */
export function uiRoutes(options: { directory: string }): Router {
  const router = createRouter();
  const index = join(options.directory, 'index.html');
  router.use(
    '/assets',
    express.static(join(options.directory, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: false,
    }),
  );
  router.get(['/', '/*path'], securityHeaders({ content: 'page' }), (_request, response) => {
    if (!existsSync(index)) throw new UnavailableError('The dashboards are not built: run npm run build', 60);
    response.set('cache-control', 'no-cache').sendFile(index);
  });
  return router;
}
