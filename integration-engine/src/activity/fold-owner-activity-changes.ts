import type { Queryable } from '@repopulse/core';
import { activityColumns, activityIncrements } from './activity-columns.js';

const sums = activityColumns.map((column) => `sum(moved.${column})`).join(', ');

/**
 * Folds the owner changes written so far into `owner_activity_daily`, in one statement: what it deletes
 * it adds, so the `owner_activity` view reads the same before and after. Changes committed meanwhile are
 * not in its snapshot and wait for the next fold; two folds at once take each change once (the second
 * skips the rows the first deleted). Returns the (owner, day) rows moved.
 */
export async function foldOwnerActivityChanges(database: Queryable): Promise<number> {
  const result = await database.query(
    `WITH moved AS (DELETE FROM owner_activity_changes RETURNING *)
     INSERT INTO owner_activity_daily AS o (host, owner_key, day, ${activityColumns.join(', ')})
     SELECT moved.host, moved.owner_key, moved.day, ${sums}
       FROM moved
      GROUP BY moved.host, moved.owner_key, moved.day
      ORDER BY moved.host, moved.owner_key, moved.day
     ON CONFLICT (host, owner_key, day) DO UPDATE SET ${activityIncrements('o')}`,
  );
  return result.rowCount ?? 0;
}
