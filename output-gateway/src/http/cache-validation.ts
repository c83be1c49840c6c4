import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

// Dashboards poll; a minute of staleness is invisible next to rollups that change when a crawl lands.
// private: the API sits behind authentication, so no shared cache may keep one analyst's answer for another.
const cacheControl = 'private, max-age=60';

/** A weak ETag naming `content` (a body, or whatever the body is made of). */
export function weakETag(content: string): string {
  return `W/"${createHash('sha256').update(content).digest('base64url').slice(0, 32)}"`;
}

/**
 * Sets the caching headers of a GET answer and says whether the client's copy is current (answer 304).
 * `Vary: Accept`, on JSON and CSV answers and on 304s alike: endpoints that serve CSV choose the
 * representation by the Accept header, so a cache must not hand a JSON answer to a request for CSV (a
 * browser's cache would, since both have one URL); endpoints that serve only JSON say it too, harmlessly.
 */
export function sendCacheHeaders(request: Request, response: Response, etag: string): boolean {
  response.setHeader('Cache-Control', cacheControl);
  response.setHeader('ETag', etag);
  response.vary('Accept');
  return matchesIfNoneMatch(request.get('if-none-match'), etag);
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
