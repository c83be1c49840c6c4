import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

// Dashboards poll; a minute of staleness is invisible next to rollups that change when a crawl lands.
// private: the API sits behind authentication, so no shared cache may keep one analyst's answer for another.
const cacheControl = 'private, max-age=60';

/**
 * Sends `payload` as JSON with a weak ETag computed from the body, and answers 304 without a body when
 * the client's If-None-Match already names that ETag.
 */
export function sendCacheableJson(request: Request, response: Response, payload: unknown): void {
  const body = JSON.stringify(payload);
  const etag = weakETag(body);
  response.setHeader('Cache-Control', cacheControl);
  response.setHeader('ETag', etag);
  if (matchesIfNoneMatch(request.get('if-none-match'), etag)) {
    response.status(304).end();
    return;
  }
  response.type('application/json').send(body);
}

function weakETag(body: string): string {
  return `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/**
 * Weak comparison as RFC 9110 (13.1.2) asks for If-None-Match. Not express's `request.fresh`: it treats
 * every request carrying `Cache-Control: no-cache` as stale, and fetch() adds that header to any request
 * with an If-None-Match of its own, so browser code revalidating by hand would never get a 304.
 */
function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = (tag: string) => tag.replace(/^W\//, '');
  const listed = header.match(/\*|(?:W\/)?"[^"]*"/g) ?? [];
  return listed.some((tag) => tag === '*' || opaque(tag) === opaque(etag));
}
