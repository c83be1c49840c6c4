import type { NextFunction, Request, Response } from 'express';
import { readScopeOf, refuseOutsideScope } from './read-scope.js';

/**
 * Middleware: a query parameter the caller's scope names may only carry the allowed values (403 otherwise),
 * as the permission proxy already checks; checked here again so that the gateway does not depend on it.
 * Owners named in a path or in `repos=` are checked by their endpoints, with the host they resolve to.
 */
export function refuseScopedValues(request: Request, _response: Response, next: NextFunction): void {
  const scope = readScopeOf(request);
  for (const parameter of Object.keys(scope.params)) {
    // Query names are case-sensitive and lowercase in this API; header names, and so scope names, are not.
    const given = request.query[parameter];
    const values = (Array.isArray(given) ? given : [given]).filter(
      (value): value is string => typeof value === 'string',
    );
    for (const value of values) refuseOutsideScope(scope, parameter, value);
  }
  next();
}
