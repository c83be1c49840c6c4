import { ForbiddenError, UnauthorisedError, type AuditEntry } from '@repopulse/core';
import type { Request, RequestHandler } from 'express';

/**
 * The admin API answers admins only. The permission proxy already refuses everyone else (its ACL); the
 * identity it vouches for (signed, checked by core before any route) is checked here as well, so the API
 * stays closed should a route or rule be misconfigured.
 */
export const requireAdmin: RequestHandler = (request, _response, next) => {
  const identity = request.forwardedIdentity;
  if (!identity.principal) {
    next(new UnauthorisedError('The admin API needs an authenticated caller (through the permission proxy)'));
    return;
  }
  if (!identity.roles.includes('admin')) {
    next(new ForbiddenError('The admin API is for the admin role only'));
    return;
  }
  next();
};

/** Who did it, for the audit log: `user:12` becomes a user with id 12. */
export function auditActor(
  request: Request,
): Pick<AuditEntry, 'actorKind' | 'actorId' | 'actorName' | 'requestId'> {
  const identity = request.forwardedIdentity;
  return {
    actorKind: identity.kind === 'api-key' ? 'api-key' : 'user',
    actorId: identity.id ?? null,
    actorName: identity.name ?? null,
    requestId: request.requestId,
  };
}

/** The audit row of an admin's change that succeeded (written in the change's own transaction). */
export function adminChange(
  request: Request,
  action: string,
  target: string,
  details: Record<string, unknown> = {},
): AuditEntry {
  return { ...auditActor(request), action, target, outcome: 'success', details };
}

/** The caller's user id when the caller is a user (not an API key): for "not yourself" rules. */
export function callerUserId(request: Request): string | undefined {
  const actor = auditActor(request);
  return actor.actorKind === 'user' && actor.actorId ? actor.actorId : undefined;
}

/** How runs and rows name who asked: the user's name if the proxy sent it, else their principal. */
export function callerName(request: Request): string {
  const identity = request.forwardedIdentity;
  return identity.name ?? identity.principal ?? 'unknown';
}
