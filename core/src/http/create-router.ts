import { Router } from 'express';

/**
 * Every router of the platform matches route words exactly: case-sensitive and strict about a trailing
 * slash. The permission proxy checks the ACL and the scopes on one spelling of a path; were an upstream to
 * route `/V1/Repositories/` like `/v1/repositories`, a spelling the proxy does not recognise would reach
 * the same data past its checks.
 */
export function createRouter(): Router {
  return Router({ caseSensitive: true, strict: true });
}
