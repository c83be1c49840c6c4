import { UnavailableError, type Logger, type Queryable } from '@repopulse/core';
import type { AclRule } from './acl-rules.js';
import { selectAclRules } from './select-acl-rules.js';

export interface AclCache {
  /** The rules, read again after a change notification, and at most `ttlMs` old should one be missed. */
  rules(): Promise<readonly AclRule[]>;
  /** The rules changed: the next request reads them again (not a read that was already under way). */
  invalidate(): void;
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
  // Counts invalidations: a read that started before one may predate the change, so it does not count
  // as fresh (it still serves the requests that were waiting for it).
  let generation = 0;

  function reload(): Promise<readonly AclRule[]> {
    if (loading) return loading;
    const startedIn = generation;
    const fresh = () => startedIn === generation;
    const current: Promise<readonly AclRule[]> = selectAclRules(options.database)
      .then((rules) => {
        if (fresh() || !cached) cached = rules;
        if (fresh()) loadedAt = now();
        return rules;
      })
      .catch((error: unknown) => {
        if (!cached) throw new UnavailableError('The access rules cannot be read now');
        options.logger.warn('cannot reload the ACL, serving the last rules read', {
          error: (error as Error).message,
        });
        if (fresh()) loadedAt = now();
        return cached;
      })
      .finally(() => {
        if (loading === current) loading = undefined;
      });
    loading = current;
    return current;
  }

  return {
    async rules() {
      if (cached && now() - loadedAt < options.ttlMs) return cached;
      return reload();
    },
    invalidate() {
      generation++;
      loadedAt = -Infinity;
      loading = undefined;
    },
  };
}
