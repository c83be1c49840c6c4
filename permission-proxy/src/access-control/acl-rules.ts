import type { Identity } from '@repopulse/core';

/** One row of `acl_rules`: method + path pattern → who may. */
export interface AclRule {
  id: string;
  priority: number;
  /** HTTP methods, or `*` for any. */
  methods: string[];
  /** A path, or a path ending in `/*`: that path and everything below it (`/*` is everything). */
  pathPattern: string;
  /** Role names, `anyone` (no credentials needed) or `authenticated` (any valid credentials). */
  roles: string[];
  rateLimitPerMinute: number | null;
  rateLimitBurst: number | null;
  description: string;
}

export function patternMatches(pattern: string, path: string): boolean {
  if (!pattern.endsWith('/*')) return path === pattern;
  const base = pattern.slice(0, -2);
  return base === '' || path === base || path.startsWith(`${base}/`);
}

/** The first rule (by priority) whose method and pattern match; `rules` are sorted by priority. */
export function matchRule(rules: readonly AclRule[], method: string, path: string): AclRule | undefined {
  const verb = method.toUpperCase();
  return rules.find(
    (rule) =>
      (rule.methods.includes('*') || rule.methods.includes(verb)) && patternMatches(rule.pathPattern, path),
  );
}

export type AccessDecision = { allowed: true } | { allowed: false; status: 401 | 403; reason: string };

/**
 * Anything no rule matches is denied. 401 when the caller is unknown (no credentials) and might do better
 * with some, 403 when a known caller lacks the right.
 */
export function decideAccess(rule: AclRule | undefined, identity: Identity | undefined): AccessDecision {
  if (!rule) {
    return identity
      ? { allowed: false, status: 403, reason: 'No rule allows this method and path' }
      : { allowed: false, status: 401, reason: 'No rule allows this method and path without credentials' };
  }
  if (rule.roles.includes('anyone')) return { allowed: true };
  if (!identity) return { allowed: false, status: 401, reason: 'Credentials are required' };
  if (rule.roles.includes('authenticated')) return { allowed: true };
  if (identity.roles.some((role) => rule.roles.includes(role))) return { allowed: true };
  return { allowed: false, status: 403, reason: `This needs one of the roles: ${rule.roles.join(', ')}` };
}
