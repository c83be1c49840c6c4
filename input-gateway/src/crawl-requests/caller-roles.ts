import { identityHeaders } from '@repopulse/core';
import type { Request } from 'express';

/**
 * The caller's roles as the permission proxy forwards them (`X-User-Roles`, set after it dropped any a
 * client sent). Read here only, so a change in how the gateway learns its caller (a signature over the
 * identity headers) is made in one place.
 */
export function callerRoles(request: Request): string[] {
  return (request.get(identityHeaders.userRoles) ?? '')
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role !== '');
}
