import { findUserById, type Queryable, type User } from '@repopulse/core';

export interface UserLookup {
  /** The user row, at most `ttlMs` old; undefined when no such user exists (also cached). */
  find(id: string): Promise<User | undefined>;
  /** The row read now, replacing what was cached. */
  refresh(id: string): Promise<User | undefined>;
  /** The row changed (a notification said so): the next `find` reads it again. */
  forget(id: string): void;
  /** Everything may have changed (the notifications were not heard for a while). */
  clear(): void;
}

export interface UserLookupOptions {
  database: Queryable;
  /**
   * The fallback should a change notification be missed; they normally drop a changed user at once. Long
   * enough that a client's burst of requests costs one query.
   */
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * Users behind JWTs, read once per TTL or after a notification said the row changed; concurrent requests
 * for one user share one query. The promise is cached from the moment the query starts, so a `forget`
 * that arrives while it runs drops it too: a read that may predate the change is never kept.
 */
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

  function read(id: string): Promise<User | undefined> {
    const time = now();
    if (cache.size >= maxEntries) evictStale(time);
    const user = findUserById(options.database, id);
    cache.delete(id);
    cache.set(id, { user, readAt: time });
    // A failed read is not remembered: the next request asks the database again.
    user.catch(() => {
      if (cache.get(id)?.user === user) cache.delete(id);
    });
    return user;
  }

  return {
    find(id) {
      const cached = cache.get(id);
      if (cached && now() - cached.readAt < options.ttlMs) return cached.user;
      return read(id);
    },
    refresh: read,
    forget(id) {
      cache.delete(id);
    },
    clear() {
      cache.clear();
    },
  };
}
