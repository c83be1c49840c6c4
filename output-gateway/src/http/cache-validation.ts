import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { readScopeOf, scopeFingerprint } from '../scopes/read-scope.js';

// Dashboards poll; a minute of staleness is invisible next to rollups that change when a crawl lands.
// private: the API sits behind authentication, so no shared cache may keep one analyst's answer for another.
const cacheControl = 'private, max-age=60';

// Who asks changes the answer: its scope narrows it. Behind the proxy a caller is named by its credentials,
// which a browser's (private) cache sees; between proxy and gateway by the scope headers the gateway reads.
const callerHeaders = [
  'Authorization',
  'X-API-Key',
  'X-Scope-Param-Owner',
  'X-Scope-Param-Host',
  'X-Scope-Param-Language',
  'X-Scope-Max-Limit',
];

/** A weak ETag naming `content` (a body, or whatever the body is made of). */
function weakETag(content: string): string {
  return `W/"${createHash('sha256').update(content).digest('base64url').slice(0, 32)}"`;
}

/**
 * Sets the caching headers of a GET answer and says whether the client's copy is current (answer 304).
 * The weak ETag names `content` (the body, or what it is made of) under the caller's scope, so the same
 * body read under two scopes has two ETags: one caller's copy is never confirmed to another.
 * `Vary: Accept`, on JSON and CSV answers and on 304s alike: endpoints that serve CSV choose the
 * representation by the Accept header, so a cache must not hand a JSON answer to a request for CSV (a
 * browser's cache would, since both have one URL); endpoints that serve only JSON say it too, harmlessly.
 * It also names the headers that say who asks (above): a browser shared by two users must not hand one the
 * other's answer, as Cache-Control `private` already forbids shared caches to.
 */
export function sendCacheHeaders(request: Request, response: Response, content: string): boolean {
  const scope = scopeFingerprint(readScopeOf(request));
  const etag = weakETag(scope === '' ? content : `${scope}\n${content}`);
  response.setHeader('Cache-Control', cacheControl);
  response.setHeader('ETag', etag);
  response.vary('Accept');
  for (const header of callerHeaders) response.vary(header);
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
