import { findUserById, isDatabaseConnectionError, type Queryable, type User } from '@repopulse/core';

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
  /**
   * While PostgreSQL cannot be reached, a row read within this long is used instead (0: never). Nothing can
   * change it meanwhile; the notification listener drops every entry once the database is back.
   */
  staleWhileDownMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/** While the database is away, a stale row is used again for this long before it is asked anew. */
const staleRecheckMs = 1_000;

/**
 * Users behind JWTs, read once per TTL or after a notification said the row changed; concurrent requests
 * for one user share one query. The promise is cached from the moment the query starts, so a `forget`
 * that arrives while it runs drops it too: a read that may predate the change is never kept. When the
 * database cannot be reached, the last row read (within `staleWhileDownMs`) answers instead.
 */
export function createUserLookup(options: UserLookupOptions): UserLookup {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const staleWhileDownMs = options.staleWhileDownMs ?? 0;
  const cache = new Map<string, { user: Promise<User | undefined>; readAt: number }>();
  /** The last row the database gave for each id (undefined: no such user), and when. */
  const lastRead = new Map<string, { user: User | undefined; readAt: number }>();

  function evictStale(time: number): void {
    for (const [id, entry] of cache) {
      if (time - entry.readAt >= options.ttlMs) cache.delete(id);
    }
    // Still full of fresh entries: drop the oldest (a Map iterates in insertion order).
    for (const id of cache.keys()) {
      if (cache.size < maxEntries) break;
      cache.delete(id);
    }
    for (const [id, entry] of lastRead) {
      if (time - entry.readAt >= staleWhileDownMs || lastRead.size >= maxEntries) lastRead.delete(id);
    }
  }

  function read(id: string): Promise<User | undefined> {
    const time = now();
    if (cache.size >= maxEntries || lastRead.size >= maxEntries) evictStale(time);
    const current = () => cache.get(id)?.user === user;
    const user: Promise<User | undefined> = findUserById(options.database, id).then(
      (found) => {
        if (current()) lastRead.set(id, { user: found, readAt: time });
        return found;
      },
      (error: unknown) => {
        const last = lastRead.get(id);
        if (current() && last && isDatabaseConnectionError(error) && now() - last.readAt < staleWhileDownMs) {
          // Shared by the requests of the next moment, so an outage costs one failed query a second.
          cache.set(id, { user: Promise.resolve(last.user), readAt: now() - options.ttlMs + staleRecheckMs });
          return last.user;
        }
        // A failed read is not remembered: the next request asks the database again.
        if (current()) cache.delete(id);
        throw error;
      },
    );
    cache.delete(id);
    cache.set(id, { user, readAt: time });
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
      lastRead.delete(id);
    },
    clear() {
      cache.clear();
      lastRead.clear();
    },
  };
}
