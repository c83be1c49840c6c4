import type { Request } from 'express';
import type { Scopes } from '@repopulse/core';

/**
 * The caller's scopes, as the permission proxy signed them (`X-Scope-Param-<name>`, `X-Scope-Max-Limit`;
 * read and checked by core before any route: a request whose scope headers cannot be read is refused
 * there). No scope: the caller is unscoped. The one place the gateway learns them.
 */
export function scopesOf(request: Request): Scopes {
  return request.forwardedIdentity.scopes;
}
