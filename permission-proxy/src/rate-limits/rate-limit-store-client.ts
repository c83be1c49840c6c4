import { prepared, type Logger, type Queryable } from '@repopulse/core';

/** A statement as rate-limiter-flexible's RateLimiterPostgres sends it to a pg Pool (`storeType: 'pool'`). */
interface StoreStatement {
  text: string;
  values?: unknown[];
  /** Set for its constant statements (upsert, get, delete, cleanup); absent for one-off ones. */
  name?: string;
}

export interface RateLimitStoreClient {
  query(statement: StoreStatement): Promise<unknown>;
}

/**
 * The proxy's own pool (core's Database) as the store client RateLimiterPostgres takes. A statement that
 * fails or takes longer than `timeoutMs` rejects, and the limiter falls back to its in-memory insurance;
 * for `awayMs` after that the store is not asked at all, so that during an outage a limited request costs
 * neither a connection attempt nor the timeout. One WARN when the store goes away, one INFO when it is back.
 */
export function createRateLimitStoreClient(options: {
  database: Queryable;
  logger: Logger;
  timeoutMs: number;
  awayMs?: number;
  now?: () => number;
}): RateLimitStoreClient {
  const now = options.now ?? Date.now;
  const awayMs = options.awayMs ?? 1_000;
  let awayUntil = 0;
  let away = false;

  function wentAway(error: unknown): void {
    awayUntil = now() + awayMs;
    if (away) return;
    away = true;
    options.logger.warn('rate-limit store unavailable: limiting per replica, in memory, until it answers', {
      error,
    });
  }

  return {
    async query(statement) {
      if (now() < awayUntil) throw new Error('the rate-limit store was unavailable a moment ago');
      // The library's named statements have constant texts (its table is fixed): prepared per connection.
      const text = statement.name === undefined ? statement.text : prepared(statement.text);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the rate-limit store gave no answer within ${options.timeoutMs} ms`)),
          options.timeoutMs,
        );
      });
      try {
        const result = await Promise.race([options.database.query(text, statement.values), timedOut]);
        if (away) {
          away = false;
          options.logger.info('rate-limit store answers again: limits are shared by every replica');
        }
        return result;
      } catch (error) {
        wentAway(error);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
