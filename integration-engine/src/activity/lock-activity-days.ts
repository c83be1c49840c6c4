import type { Queryable } from '@repopulse/core';
import type { TouchedDays } from './touched-days.js';

/**
 * Locks the touched rows of the activity rollup (creating those not there yet), in one order, before a
 * writer recounts them (`refreshActivityDays`). Writers of one repository run side by side (no repository
 * row lock): without this, two of them writing facts on one day would each recount it from a snapshot
 * without the other's uncommitted facts, and the later write would lose the earlier one's. With it, the
 * recount that follows is a statement of its own whose snapshot is taken once the lock is held, after any
 * earlier holder committed (READ COMMITTED), whether that one recounted or added its differences. Facts are
 * all written before this, so a writer holding these locks waits on no fact row.
 */
export async function lockActivityDays(transaction: Queryable, touched: TouchedDays): Promise<void> {
  if (touched.size === 0) return;
  const { repositoryIds, days } = touched.toColumns();
  await transaction.query(
    `INSERT INTO activity_daily AS a (repository_id, day)
     SELECT t.repository_id, t.day FROM unnest($1::bigint[], $2::date[]) AS t (repository_id, day)
     ORDER BY t.repository_id, t.day
     ON CONFLICT (repository_id, day) DO UPDATE SET day = EXCLUDED.day`,
    [repositoryIds, days],
  );
}
