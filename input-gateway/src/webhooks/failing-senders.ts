import { TooManyRequestsError } from '@repopulse/core';
import { RateLimiterMemory } from 'rate-limiter-flexible';

/**
 * Counts the deliveries per sender address that fail their signature (or are malformed): an address that
 * keeps failing is refused (429 + Retry-After) before its next body is read. A correctly signed delivery
 * costs nothing here and is never refused for how many there are — GitHub does not retry a refused one.
 * Kept in each gateway replica's memory: it is a shield, not a quota, so N replicas letting N times the
 * failures through is acceptable.
 */
export interface FailingSenders {
  /** Throws TooManyRequestsError while `address` is refused. */
  admit(address: string): Promise<void>;
  recordFailure(address: string): Promise<void>;
}

/** The defaults of WEBHOOK_FAILURES_PER_MINUTE and WEBHOOK_FAILURE_BLOCK_SECONDS. */
export const defaultFailingSenderLimits = { failuresPerMinute: 20, blockSeconds: 300 };

export function createFailingSenders(options: {
  failuresPerMinute: number;
  blockSeconds: number;
}): FailingSenders {
  const limiter = new RateLimiterMemory({
    keyPrefix: 'webhook-failures',
    points: options.failuresPerMinute,
    duration: 60,
    blockDuration: options.blockSeconds,
  });
  return {
    async admit(address) {
      const state = await limiter.get(address);
      if (state && state.remainingPoints <= 0) {
        throw new TooManyRequestsError(
          'Too many webhook deliveries from this address failed their signature; try again later',
          Math.max(1, Math.ceil(state.msBeforeNext / 1000)),
        );
      }
    },
    async recordFailure(address) {
      await limiter.consume(address).catch(() => undefined);
    },
  };
}
