import { recordAudit, type AuditEntry, type Logger, type Queryable } from '@repopulse/core';
import type { AuditTrail } from '../contracts.js';

/**
 * Keeps audit entries in memory and writes them in batches (every `flushIntervalMs`, or at once when many
 * are waiting), so a burst of denied requests costs one insert, not one per request. While the database is
 * away entries wait, up to `maxPending`; past that the oldest are dropped with a warning.
 */
export function createBatchedAuditTrail(options: {
  database: Queryable;
  logger: Logger;
  flushIntervalMs?: number;
  maxPending?: number;
}): AuditTrail & { stop(): Promise<void> } {
  const maxPending = options.maxPending ?? 10_000;
  let pending: AuditEntry[] = [];
  let writing: Promise<void> | undefined;
  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 1_000);
  timer.unref();

  async function flush(): Promise<void> {
    await writing;
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
      pending.push(entry);
      if (pending.length >= 500) void flush();
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
