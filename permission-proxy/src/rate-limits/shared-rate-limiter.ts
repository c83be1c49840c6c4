import type { Logger, Queryable } from '@repopulse/core';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { createRateLimitStoreClient } from './rate-limit-store-client.js';

export interface RateLimitOutcome {
  allowed: boolean;
  /** The window's size: how many requests may come at once. */
  limit: number;
  remaining: number;
  /** Seconds until the window is full again. */
  resetSeconds: number;
  /** When refused: seconds until one request is allowed. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  take(key: string, perMinute: number, burst: number): Promise<RateLimitOutcome>;
}

/**
 * A window of `burst` requests lasting burst / perMinute of a minute: a burst at once, `perMinute`
 * sustained, and the `RateLimit-Policy` the proxy announces (`burst;w=seconds`). In whole milliseconds
 * whose value in seconds, multiplied back by the library, is whole again: it adds the product to Date.now()
 * and stores it in a bigint column.
 */
export function windowSeconds(perMinute: number, burst: number): number {
  let milliseconds = Math.max(1, Math.round((burst * 60_000) / perMinute));
  while ((milliseconds / 1_000) * 1_000 !== milliseconds) milliseconds++;
  return milliseconds / 1_000;
}

function outcomeOf(result: RateLimiterRes, allowed: boolean, burst: number): RateLimitOutcome {
  const seconds = Math.max(0, Math.ceil(result.msBeforeNext / 1_000));
  return {
    allowed,
    limit: burst,
    remaining: result.remainingPoints,
    resetSeconds: seconds,
    retryAfterSeconds: allowed ? 0 : Math.max(1, seconds),
  };
}

/**
 * Rate limits shared by every proxy replica (rate-limiter-flexible's RateLimiterPostgres on the proxy's
 * pool, table `rate_limits`): a caller's requests count once wherever they land. A key whose window is used
 * up is refused from memory until the window ends, so a caller over its limit costs no database round trip.
 * While PostgreSQL is away each replica limits from memory with the same figures (the insurance limiter):
 * per replica rather than refusing or not limiting. One limiter per (perMinute, burst) of the ACL rules.
 */
export function createSharedRateLimiter(options: {
  database: Queryable;
  logger: Logger;
  /** Longer than this, a store statement counts as failed and the in-memory insurance answers. */
  storeTimeoutMs: number;
  tableName?: string;
}): RateLimiter {
  const storeClient = createRateLimitStoreClient({
    database: options.database,
    logger: options.logger,
    timeoutMs: options.storeTimeoutMs,
  });
  const limiters = new Map<string, RateLimiterPostgres>();

  function limiterFor(perMinute: number, burst: number): RateLimiterPostgres {
    const figures = `${perMinute}/${burst}`;
    let limiter = limiters.get(figures);
    if (limiter === undefined) {
      const window = { points: burst, duration: windowSeconds(perMinute, burst), keyPrefix: '' };
      limiter = new RateLimiterPostgres({
        ...window,
        storeClient,
        storeType: 'pool',
        tableName: options.tableName ?? 'rate_limits',
        // Migration 0018 creates it; each limiter's cleanup (the library's default) deletes, every five
        // minutes, the rows whose window ended over an hour ago, so the table holds the last hour's callers.
        tableCreated: true,
        inMemoryBlockOnConsumed: burst,
        insuranceLimiter: new RateLimiterMemory(window),
      });
      limiters.set(figures, limiter);
    }
    return limiter;
  }

  return {
    async take(key, perMinute, burst) {
      try {
        return outcomeOf(await limiterFor(perMinute, burst).consume(key), true, burst);
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return outcomeOf(refusal, false, burst);
        throw refusal;
      }
    },
  };
}
