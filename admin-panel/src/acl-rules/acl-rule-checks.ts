import { ConflictError, SchemaViolationError, type SchemaViolation } from '@repopulse/core';
import type { AclRuleFields } from './acl-rule-store.js';

/**
 * What the JSON schema cannot say. A pattern is a path, or a path ending in `/*` (that path and all below
 * it): the proxy knows no other wildcard, so a `*` elsewhere would match nothing. The proxy limits a
 * rule's rate only when both numbers are set, so one without the other would silently do nothing.
 */
export function checkAclRule(rule: AclRuleFields): AclRuleFields {
  const violations: SchemaViolation[] = [];
  const { pathPattern } = rule;
  if (!pathPattern.startsWith('/')) violations.push({ path: '/pathPattern', message: 'must start with /' });
  else if (pathPattern.slice(0, pathPattern.endsWith('/*') ? -2 : undefined).includes('*'))
    violations.push({ path: '/pathPattern', message: 'may hold * only as its end, "/*"' });
  else if (/\s|[?#]/.test(pathPattern))
    violations.push({ path: '/pathPattern', message: 'is a path: no spaces, query or fragment' });
  if ((rule.rateLimitPerMinute === null) !== (rule.rateLimitBurst === null)) {
    const missing = rule.rateLimitPerMinute === null ? '/rateLimitPerMinute' : '/rateLimitBurst';
    violations.push({
      path: missing,
      message: 'must be set with the other rate limit (the proxy needs both)',
    });
  }
  if (violations.length > 0) throw new SchemaViolationError('The rule cannot be used as given', violations);
  return rule;
}

// The proxy's matching (permission-proxy/src/access-control/acl-rules.ts), restated for one question.
function patternMatches(pattern: string, path: string): boolean {
  if (!pattern.endsWith('/*')) return path === pattern;
  const base = pattern.slice(0, -2);
  return base === '' || path === base || path.startsWith(`${base}/`);
}

/** The admin API's own page of rules, which the proxy forwards to `/api/acl-rules` here. */
const probe = { methods: ['GET', 'PATCH'], path: '/admin/api/acl-rules' };

/**
 * Refuses a set of rules under which an admin could no longer reach the admin API through the proxy:
 * nobody could then undo the change but by editing the database by hand.
 */
export function refuseAdminLockout(rules: readonly AclRuleFields[]): void {
  const sorted = [...rules].sort((a, b) => a.priority - b.priority);
  for (const method of probe.methods) {
    const rule = sorted.find(
      (candidate) =>
        (candidate.methods.includes('*') || candidate.methods.includes(method)) &&
        patternMatches(candidate.pathPattern, probe.path),
    );
    const admitsAdmins = rule?.roles.some((role) => ['admin', 'authenticated', 'anyone'].includes(role));
    if (!admitsAdmins) {
      throw new ConflictError(
        `With this change admins could no longer ${method} ${probe.path}: keep a rule that lets them in`,
      );
    }
  }
}
