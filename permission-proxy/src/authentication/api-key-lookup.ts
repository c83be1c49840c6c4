import { createHash } from 'node:crypto';
import { checkApiKey, type Queryable } from '@repopulse/core';

type ApiKeyCheck = Awaited<ReturnType<typeof checkApiKey>>;

export interface ApiKeyLookup {
  check(key: string): Promise<ApiKeyCheck>;
}

/**
 * Remembers valid keys for `ttlMs`, so a script's steady stream of requests costs one query per key and
 * TTL, not one per request; a revoked or expired key is refused within that time, as a disabled user is.
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
  return {
    async check(key) {
      if (options.ttlMs <= 0) return checkApiKey(options.database, key);
      const cacheKey = createHash('sha256').update(key).digest('base64url');
      const cached = valid.get(cacheKey);
      if (cached && cached.until > now()) return cached.check;
      const check = await checkApiKey(options.database, key);
      if (check.status === 'valid') {
        if (valid.size >= maxEntries) valid.clear();
        valid.set(cacheKey, { check, until: now() + options.ttlMs });
      } else {
        valid.delete(cacheKey);
      }
      return check;
    },
  };
}
