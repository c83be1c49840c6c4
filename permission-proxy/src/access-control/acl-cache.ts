import { UnavailableError, type Logger, type Queryable } from '@repopulse/core';
import type { AclRule } from './acl-rules.js';
import { selectAclRules } from './select-acl-rules.js';

export interface AclCache {
  /** The rules, at most `ttlMs` old; admins' edits take effect within that time on every replica. */
  rules(): Promise<readonly AclRule[]>;
}

/**
 * Reads the ACL at most once per TTL, one query shared by concurrent requests. When the database is away,
 * the last rules read keep serving (the ACL rarely changes); before any read succeeded, requests get 503.
 */
export function createAclCache(options: {
  database: Queryable;
  ttlMs: number;
  logger: Logger;
  now?: () => number;
}): AclCache {
  const now = options.now ?? Date.now;
  let cached: readonly AclRule[] | undefined;
  let loadedAt = -Infinity;
  let loading: Promise<readonly AclRule[]> | undefined;

  function reload(): Promise<readonly AclRule[]> {
    loading ??= selectAclRules(options.database)
      .then((rules) => {
        cached = rules;
        loadedAt = now();
        return rules;
      })
      .catch((error: unknown) => {
        if (!cached) throw new UnavailableError('The access rules cannot be read now');
        options.logger.warn('cannot reload the ACL, serving the last rules read', {
          error: (error as Error).message,
        });
        loadedAt = now();
        return cached;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  }

  return {
    async rules() {
      if (cached && now() - loadedAt < options.ttlMs) return cached;
      return reload();
    },
  };
}
