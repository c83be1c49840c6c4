import { createHash } from 'node:crypto';
import { checkApiKey, isDatabaseConnectionError, type Queryable } from '@repopulse/core';

type ApiKeyCheck = Awaited<ReturnType<typeof checkApiKey>>;

export interface ApiKeyLookup {
  check(key: string): Promise<ApiKeyCheck>;
  /** The key with this row id changed (revoked, a new role): the next check reads it again. */
  forget(id: string): void;
  /** Everything may have changed (the notifications were not heard for a while). */
  clear(): void;
}

/** While the database is away, a stale answer is given again for this long before it is asked anew. */
const staleRecheckMs = 1_000;

interface ValidEntry {
  check: ApiKeyCheck;
  /** When the database last confirmed the key. */
  checkedAt: number;
  /** Trusted without asking until then (the TTL, or the recheck pause while the database is away). */
  until: number;
}

/**
 * Remembers valid keys for `ttlMs`, so a script's steady stream of requests costs one query per key and
 * TTL, not one per request; a change notification drops a revoked key at once, the TTL is the fallback.
 * While PostgreSQL cannot be reached, a key the database confirmed within `staleWhileDownMs` keeps working
 * (nothing can revoke it meanwhile: revocations are rows in that database, and the notification listener
 * drops every entry once it is back); any other key gets the error, which the caller answers with 503.
 * Entries are keyed by a hash of the key, never the key itself. Refusals are not cached: they are rare
 * for real callers and a cache of made-up keys would only grow.
 */
export function createApiKeyLookup(options: {
  database: Queryable;
  ttlMs: number;
  /** 0: no stale answers, every check needs the database once the TTL is over. */
  staleWhileDownMs?: number;
  now?: () => number;
  maxEntries?: number;
}): ApiKeyLookup {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const staleWhileDownMs = options.staleWhileDownMs ?? 0;
  const valid = new Map<string, ValidEntry>();
  // Counts forgets: a check that was under way meanwhile may have read the row before the change, so
  // its answer is used once but not kept.
  let generation = 0;

  async function read(cacheKey: string, key: string): Promise<ApiKeyCheck> {
    const startedIn = generation;
    let check: ApiKeyCheck;
    try {
      check = await checkApiKey(options.database, key);
    } catch (error) {
      const entry = valid.get(cacheKey);
      // Not after a forget or clear meanwhile: the entry may be what was revoked.
      if (entry && startedIn === generation && isDatabaseConnectionError(error)) {
        const time = now();
        if (time - entry.checkedAt < staleWhileDownMs) {
          entry.until = time + staleRecheckMs;
          return entry.check;
        }
      }
      throw error;
    }
    if (check.status === 'valid' && startedIn === generation) {
      if (valid.size >= maxEntries) valid.clear();
      const checkedAt = now();
      valid.set(cacheKey, { check, checkedAt, until: checkedAt + options.ttlMs });
    } else {
      valid.delete(cacheKey);
    }
    return check;
  }

  return {
    async check(key) {
      if (options.ttlMs <= 0 && staleWhileDownMs <= 0) return checkApiKey(options.database, key);
      const cacheKey = createHash('sha256').update(key).digest('base64url');
      const cached = valid.get(cacheKey);
      if (cached && cached.until > now()) return cached.check;
      return read(cacheKey, key);
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
