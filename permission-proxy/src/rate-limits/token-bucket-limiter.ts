export interface RateLimitOutcome {
  allowed: boolean;
  /** The bucket's size: how many requests may come at once. */
  limit: number;
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** When refused: seconds until one request is allowed. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  take(key: string, perMinute: number, burst: number): RateLimitOutcome;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets in this process's memory: each key (rule + API key, user or address) refills at
 * `perMinute` up to `burst`. With several proxy replicas each keeps its own buckets, so a caller whose
 * requests are spread over N replicas gets up to N times the limit; see the README for how to set it.
 */
export function createTokenBucketLimiter(
  options: { now?: () => number; maxKeys?: number } = {},
): RateLimiter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 100_000;
  const buckets = new Map<string, Bucket>();

  function evictIfFull(): void {
    if (buckets.size < maxKeys) return;
    // Oldest-touched first (a Map keeps insertion order, and a take re-inserts its key).
    const excess = buckets.size - maxKeys + Math.ceil(maxKeys / 10);
    let removed = 0;
    for (const key of buckets.keys()) {
      if (removed++ >= excess) break;
      buckets.delete(key);
    }
  }

  return {
    take(key, perMinute, burst) {
      const at = now();
      const perMs = perMinute / 60_000;
      const bucket = buckets.get(key) ?? { tokens: burst, updatedAt: at };
      bucket.tokens = Math.min(burst, bucket.tokens + (at - bucket.updatedAt) * perMs);
      bucket.updatedAt = at;
      const allowed = bucket.tokens >= 1;
      if (allowed) bucket.tokens -= 1;
      buckets.delete(key);
      evictIfFull();
      buckets.set(key, bucket);
      return {
        allowed,
        limit: burst,
        remaining: Math.floor(bucket.tokens),
        resetSeconds: Math.ceil((burst - bucket.tokens) / perMs / 1_000),
        retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1_000)),
      };
    },
  };
}
