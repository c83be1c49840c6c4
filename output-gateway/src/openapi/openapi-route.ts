import { createRouter } from '@repopulse/core';
import { type Router } from 'express';
import { apiComponents, apiEndpoints } from '../api-endpoints.js';
import { sendCacheableJson } from '../http/send-cacheable-json.js';
import { openApiDocument } from './openapi-document.js';

/** `GET /openapi.json`: the document, built once. */
export function openApiRoute(): Router {
  const document = openApiDocument(apiEndpoints, apiComponents);
  const router = createRouter();
  router.get('/openapi.json', (request, response) => sendCacheableJson(request, response, document));
  return router;
}
