import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

const acceptableId = /^[A-Za-z0-9._:-]{1,128}$/;

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
  }
}

/**
 * Takes the caller's X-Request-Id (set by the permission proxy) when it looks like an id, or makes one, and
 * echoes it. Handlers pass `request.requestId` on explicitly (log fields, the envelope's correlationId)
 * rather than through AsyncLocalStorage: on Node 20 that turns on promise hooks for every promise of the
 * process and cost the ingest path a measurable share of its throughput. Queue workers, which handle far
 * fewer units of work, do carry their ids in the async context.
 */
export function requestId(): RequestHandler {
  return (request, response, next) => {
    const incoming = request.get('x-request-id');
    const id = incoming && acceptableId.test(incoming) ? incoming : randomUUID();
    request.requestId = id;
    response.setHeader('X-Request-Id', id);
    next();
  };
}
