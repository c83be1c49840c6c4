import type { Queryable } from '../db/index.js';

/** How long each kind of bookkeeping row is kept, in days. */
export interface Retention {
  /** The inbox (`processed_messages`): longer than any redelivery, retry or relay window. */
  processedMessagesDays: number;
  /** Suppliers' event ids (`processed_events`): longer than any supplier would resend a batch. */
  processedEventsDays: number;
  /** The audit log. */
  auditDays: number;
  /** Usage per caller, route and day. */
  usageDays: number;
}

/** The tables pruned, the column that dates a row, and which retention applies. */
const targets = [
  { table: 'processed_messages', column: 'processed_at', retention: 'processedMessagesDays' },
  { table: 'processed_events', column: 'processed_at', retention: 'processedEventsDays' },
  { table: 'audit_log', column: 'occurred_at', retention: 'auditDays' },
  { table: 'usage_daily', column: 'day', retention: 'usageDays' },
  // The proxy's guessing bookkeeping matters for minutes; a day is plenty.
  { table: 'login_guesses', column: 'guessed_at', retention: undefined },
  { table: 'login_throttles', column: 'until', retention: undefined },
] as const;

const oneDay = 1;

/**
 * Deletes the rows older than their retention, a batch at a time (each its own short statement, so no long
 * lock and no huge transaction on a table that has grown for months). Returns how many rows went per table.
 * The table and column names come from the list above, never from input.
 */
export async function pruneExpiredRows(
  database: Queryable,
  retention: Retention,
  options: { batchSize?: number } = {},
): Promise<Record<string, number>> {
  const batchSize = options.batchSize ?? 10_000;
  const deleted: Record<string, number> = {};
  for (const target of targets) {
    const days = target.retention ? retention[target.retention] : oneDay;
    let total = 0;
    for (;;) {
      const result = await database.query(
        `DELETE FROM ${target.table}
         WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${target.table}
                                 WHERE ${target.column} < now() - make_interval(days => $1)
                                 LIMIT $2))`,
        [days, batchSize],
      );
      total += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < batchSize) break;
    }
    deleted[target.table] = total;
  }
  return deleted;
}
