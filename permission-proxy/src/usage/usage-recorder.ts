import type { Logger, Queryable } from '@repopulse/core';

export interface UsageEvent {
  principalKind: 'user' | 'api-key' | 'anonymous';
  principalId: string;
  route: string;
  denied: boolean;
  bytesIn: number;
  bytesOut: number;
}

export interface UsageRecorder {
  record(event: UsageEvent): void;
  /** Writes what was counted so far. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

interface Counters {
  requests: number;
  denials: number;
  bytesIn: number;
  bytesOut: number;
}

/**
 * Counts requests, denials and bytes per caller, route and UTC day in memory and adds them to
 * `usage_daily` every few seconds in one statement, so counting costs a request nothing. What was counted
 * since the last write is lost if the process dies hard; a failed write (the database away) is kept and
 * retried, for up to `maxPendingCounters` callers × routes × days: counts for further ones are dropped,
 * with a warning, until a write succeeds.
 */
export function createUsageRecorder(options: {
  database: Queryable;
  logger: Logger;
  flushIntervalMs?: number;
  maxPendingCounters?: number;
}): UsageRecorder {
  const maxPendingCounters = options.maxPendingCounters ?? 50_000;
  let pending = new Map<string, Counters>();
  /** Requests not counted since the last warning, for want of room. */
  let dropped = 0;
  let writing: Promise<void> | undefined;
  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 5_000);
  timer.unref();

  async function write(batch: Map<string, Counters>): Promise<void> {
    const keys = [...batch.keys()].map((key) => key.split('\u0000'));
    const counters = [...batch.values()];
    await options.database.query(
      `INSERT INTO usage_daily AS u (day, principal_kind, principal_id, route, requests, denials, bytes_in, bytes_out)
       SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
       ON CONFLICT (day, principal_kind, principal_id, route) DO UPDATE SET
         requests = u.requests + EXCLUDED.requests,
         denials = u.denials + EXCLUDED.denials,
         bytes_in = u.bytes_in + EXCLUDED.bytes_in,
         bytes_out = u.bytes_out + EXCLUDED.bytes_out`,
      [
        keys.map((key) => key[0]),
        keys.map((key) => key[1]),
        keys.map((key) => key[2]),
        keys.map((key) => key[3]),
        counters.map((counter) => counter.requests),
        counters.map((counter) => counter.denials),
        counters.map((counter) => counter.bytesIn),
        counters.map((counter) => counter.bytesOut),
      ],
    );
  }

  function merge(into: Map<string, Counters>, from: Map<string, Counters>): void {
    for (const [key, counter] of from) {
      const existing = into.get(key);
      if (!existing) into.set(key, counter);
      else {
        existing.requests += counter.requests;
        existing.denials += counter.denials;
        existing.bytesIn += counter.bytesIn;
        existing.bytesOut += counter.bytesOut;
      }
    }
  }

  async function flush(): Promise<void> {
    await writing;
    if (dropped > 0) {
      options.logger.warn('usage not counted: too much waiting to be written', {
        requests: dropped,
        maxPendingCounters,
      });
      dropped = 0;
    }
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    writing = write(batch)
      .catch((error: unknown) => {
        options.logger.warn('cannot write usage, will retry', { error: (error as Error).message });
        merge(pending, batch);
      })
      .finally(() => {
        writing = undefined;
      });
    await writing;
  }

  return {
    record(event) {
      const day = new Date().toISOString().slice(0, 10);
      const key = [day, event.principalKind, event.principalId, event.route].join('\u0000');
      const existing = pending.get(key);
      if (!existing && pending.size >= maxPendingCounters) {
        dropped++;
        return;
      }
      const counter = existing ?? { requests: 0, denials: 0, bytesIn: 0, bytesOut: 0 };
      counter.requests += 1;
      if (event.denied) counter.denials += 1;
      counter.bytesIn += event.bytesIn;
      counter.bytesOut += event.bytesOut;
      pending.set(key, counter);
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
