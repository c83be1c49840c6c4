import { createHash } from 'node:crypto';
import { checkApiKey, type Queryable } from '@repopulse/core';

type ApiKeyCheck = Awaited<ReturnType<typeof checkApiKey>>;

export interface ApiKeyLookup {
  check(key: string): Promise<ApiKeyCheck>;
  /** The key with this row id changed (revoked, a new role): the next check reads it again. */
  forget(id: string): void;
  /** Everything may have changed (the notifications were not heard for a while). */
  clear(): void;
}

/**
 * Remembers valid keys for `ttlMs`, so a script's steady stream of requests costs one query per key and
 * TTL, not one per request; a change notification drops a revoked key at once, the TTL is the fallback.
 * Entries are keyed by a hash of the key, never the key itself. Refusals are not cached: they are rare
 * for real callers and a cache of made-up keys would only grow.
 */
export function createApiKeyLookup(options: {
  database: Queryable;
  ttlMs: number;
  now?: () => number;
  maxEntries?: number;
}): ApiKeyLookup {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const valid = new Map<string, { check: ApiKeyCheck; until: number }>();
  // Counts forgets: a check that was under way meanwhile may have read the row before the change, so
  // its answer is used once but not kept.
  let generation = 0;
  return {
    async check(key) {
      if (options.ttlMs <= 0) return checkApiKey(options.database, key);
      const cacheKey = createHash('sha256').update(key).digest('base64url');
      const cached = valid.get(cacheKey);
      if (cached && cached.until > now()) return cached.check;
      const startedIn = generation;
      const check = await checkApiKey(options.database, key);
      if (check.status === 'valid' && startedIn === generation) {
        if (valid.size >= maxEntries) valid.clear();
        valid.set(cacheKey, { check, until: now() + options.ttlMs });
      } else {
        valid.delete(cacheKey);
      }
      return check;
    },
    forget(id) {
      generation++;
      for (const [cacheKey, entry] of valid) {
        if (entry.check.status === 'valid' && entry.check.identity.id === id) valid.delete(cacheKey);
      }
    },
    clear() {
      generation++;
      valid.clear();
    },
  };
}
