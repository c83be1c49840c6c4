import { findUserById, type Queryable, type User } from '@repopulse/core';

export interface UserLookup {
  /** The user row, at most `ttlMs` old; undefined when no such user exists (also cached). */
  find(id: string): Promise<User | undefined>;
}

export interface UserLookupOptions {
  database: Queryable;
  /**
   * Short, so disabling a user or changing their roles reaches every replica within seconds, yet long
   * enough that a client's burst of requests costs one query.
   */
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}

/** Users behind JWTs, read once per TTL; concurrent requests for one user share one query. */
export function createUserLookup(options: UserLookupOptions): UserLookup {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new Map<string, { user: Promise<User | undefined>; readAt: number }>();

  function evictStale(time: number): void {
    for (const [id, entry] of cache) {
      if (time - entry.readAt >= options.ttlMs) cache.delete(id);
    }
    // Still full of fresh entries: drop the oldest (a Map iterates in insertion order).
    for (const id of cache.keys()) {
      if (cache.size < maxEntries) break;
      cache.delete(id);
    }
  }

  return {
    find(id) {
      const time = now();
      const cached = cache.get(id);
      if (cached && time - cached.readAt < options.ttlMs) return cached.user;
      if (cache.size >= maxEntries) evictStale(time);
      const user = findUserById(options.database, id);
      cache.delete(id);
      cache.set(id, { user, readAt: time });
      // A failed read is not remembered: the next request asks the database again.
      user.catch(() => {
        if (cache.get(id)?.user === user) cache.delete(id);
      });
      return user;
    },
  };
}
