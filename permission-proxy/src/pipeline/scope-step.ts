import { ForbiddenError } from '@repopulse/core';
import { applyScopes } from '../access-control/scopes.js';
import type { ProxyRequest, RecordDenial } from './proxy-request.js';

export interface ScopedUpstreamRequest {
  /** The upstream path with the query as it goes on (`limit` capped). */
  path: string;
  /** The scope headers for the output gateway, which narrows its answers by them. */
  headers: Record<string, string>;
}

/**
 * Within which scopes (read API only): a value of a scoped parameter, or an owner named in the path,
 * outside the caller's scopes is 403; the scopes travel on as signed headers.
 */
export function scopeStep(options: { recordDenial: RecordDenial }) {
  return (context: ProxyRequest, upstreamPath: string): ScopedUpstreamRequest => {
    const [pathname = '/', ...query] = upstreamPath.split('?');
    if (!context.identity) return { path: upstreamPath, headers: {} };
    try {
      const scoped = applyScopes(
        context.identity.scopes,
        pathname,
        query.length > 0 ? `?${query.join('?')}` : '',
      );
      return { path: `${pathname}${scoped.search}`, headers: scoped.headers };
    } catch (error) {
      if (error instanceof ForbiddenError)
        options.recordDenial(context, 'request.denied', 403, error.message);
      throw error;
    }
  };
}
