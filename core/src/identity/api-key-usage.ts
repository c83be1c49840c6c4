import type { Queryable } from '../db/index.js';
import { touchApiKey } from './api-key-store.js';

export interface ApiKeyUsageTracker {
  /** Notes that a key was used now. Never waits and never throws: a request must not pay for this. */
  keyUsed(id: string): void;
}

export interface ApiKeyUsageTrackerOptions {
  queryable: Queryable;
  /** At most one write per key in this interval from this process (the statement also skips recent rows). */
  minIntervalMs?: number;
  onError: (error: unknown) => void;
  now?: () => number;
}

/** Keeps `last_used_at` roughly current without one UPDATE per request on a busy key. */
export function createApiKeyUsageTracker(options: ApiKeyUsageTrackerOptions): ApiKeyUsageTracker {
  const minIntervalMs = options.minIntervalMs ?? 60_000;
  const now = options.now ?? Date.now;
  const lastTouched = new Map<string, number>();

  function forgetStale(time: number): void {
    for (const [id, touchedAt] of lastTouched) {
      if (time - touchedAt >= minIntervalMs) lastTouched.delete(id);
    }
  }

  return {
    keyUsed(id) {
      const time = now();
      const touchedAt = lastTouched.get(id);
      if (touchedAt !== undefined && time - touchedAt < minIntervalMs) return;
      if (lastTouched.size >= 10_000) forgetStale(time);
      lastTouched.set(id, time);
      touchApiKey(options.queryable, id).catch(options.onError);
    },
  };
}
