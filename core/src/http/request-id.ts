import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { runWithContext } from '../logging/index.js';

const acceptableId = /^[A-Za-z0-9._:-]{1,128}$/;

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
  }
}

/**
 * Takes the caller's X-Request-Id (set by the permission proxy) when it looks like an id, or makes one,
 * echoes it, and runs the rest of the request inside a context so every log line and published message
 * carries it as the correlation id.
 */
export function requestId(): RequestHandler {
  return (request, response, next) => {
    const incoming = request.get('x-request-id');
    const id = incoming && acceptableId.test(incoming) ? incoming : randomUUID();
    request.requestId = id;
    response.setHeader('X-Request-Id', id);
    runWithContext({ requestId: id, correlationId: id }, next);
  };
}
