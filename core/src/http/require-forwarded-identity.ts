import type { RequestHandler } from 'express';
import { UnauthorisedError } from '../errors/index.js';
import { verifyForwardedRequest, type ForwardedIdentity } from '../identity/forwarded-identity.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Who the permission proxy vouches for; set on every request past `requireForwardedIdentity`. */
    forwardedIdentity: ForwardedIdentity;
  }
}

export interface ForwardedIdentityOptions {
  /** `INTERNAL_SECRET`: the first signs at the proxy; every one is accepted here (for a rotation). */
  secrets: readonly string[];
  maxAgeMs?: number;
  now?: () => number;
}

/**
 * Refuses (401) every request that does not carry the permission proxy's valid, fresh signature over its
 * method, path and identity headers: a module reached around the proxy answers nobody, whatever headers
 * they send. Handlers read the caller from `request.forwardedIdentity`, never from the headers.
 */
export function requireForwardedIdentity(options: ForwardedIdentityOptions): RequestHandler {
  if (options.secrets.length === 0) throw new Error('requireForwardedIdentity needs at least one secret');
  return (request, _response, next) => {
    const check = verifyForwardedRequest({
      secrets: options.secrets,
      method: request.method,
      path: request.originalUrl,
      headers: request.headers,
      maxAgeMs: options.maxAgeMs,
      now: options.now?.(),
    });
    if (!check.valid) {
      next(new UnauthorisedError(`Refused: ${check.reason}`));
      return;
    }
    request.forwardedIdentity = check.identity;
    next();
  };
}
