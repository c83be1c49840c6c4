import { recordAudit, type AuditEntry, type Logger, type Queryable } from '@repopulse/core';
import type { AuditTrail } from '../contracts.js';
import { createDenialAggregator } from './denial-aggregator.js';

/**
 * Keeps audit entries in memory and writes them in batches (repeated denials of one caller folded into one
 * row per window) (every `flushIntervalMs`, or at once when many
 * are waiting), so a burst of denied requests costs one insert, not one per request. While the database is
 * away entries wait, up to `maxPending`; past that the oldest are dropped with a warning.
 */
export function createBatchedAuditTrail(options: {
  database: Queryable;
  logger: Logger;
  flushIntervalMs?: number;
  maxPending?: number;
  /** Repeated denials of one caller within this are one row (see denial-aggregator.ts). */
  denialWindowMs?: number;
}): AuditTrail & { stop(): Promise<void> } {
  const maxPending = options.maxPending ?? 10_000;
  const denials = createDenialAggregator({ windowMs: options.denialWindowMs ?? 60_000 });
  let pending: AuditEntry[] = [];
  let writing: Promise<void> | undefined;
  const timer = setInterval(() => void flush(false), options.flushIntervalMs ?? 1_000);
  timer.unref();

  async function flush(everything = false): Promise<void> {
    await writing;
    pending.push(...denials.due(everything));
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    writing = recordAudit(options.database, batch)
      .catch((error: unknown) => {
        options.logger.warn('cannot write the audit log, will retry', {
          error: (error as Error).message,
          entries: batch.length,
        });
        pending = [...batch, ...pending];
        if (pending.length > maxPending) {
          options.logger.error('audit entries dropped: the database has been unreachable too long', {
            dropped: pending.length - maxPending,
          });
          pending = pending.slice(pending.length - maxPending);
        }
      })
      .finally(() => {
        writing = undefined;
      });
    await writing;
  }

  return {
    record(entry) {
      pending.push(...denials.add(entry));
      if (pending.length >= 500) void flush();
    },
    /** Writes what is waiting, and every window of denials so far however young. */
    flush: () => flush(true),
    async stop() {
      clearInterval(timer);
      await flush(true);
    },
  };
}
