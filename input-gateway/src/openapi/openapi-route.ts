import { createRouter } from '@repopulse/core';
import { type Router } from 'express';
import { openApiDocument } from './openapi-document.js';

export function openApiRoute(options: { maxEvents: number; maxBodyBytes: number }): Router {
  const body = JSON.stringify(openApiDocument(options));
  const router = createRouter();
  router.get('/v1/openapi.json', (_request, response) => {
    response.type('application/json').setHeader('Cache-Control', 'public, max-age=300');
    response.send(body);
  });
  return router;
}
