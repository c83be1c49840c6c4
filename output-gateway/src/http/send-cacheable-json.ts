import type { Request, Response } from 'express';
import { sendCacheHeaders } from './cache-validation.js';

/**
 * Sends `payload` as JSON with a weak ETag computed from the body, and answers 304 without a body when
 * the client's If-None-Match already names that ETag.
 */
export function sendCacheableJson(request: Request, response: Response, payload: unknown): void {
  const body = JSON.stringify(payload);
  if (sendCacheHeaders(request, response, body)) {
    response.status(304).end();
    return;
  }
  response.type('application/json').send(body);
}
