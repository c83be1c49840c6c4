// What a round of the metrics benchmark starts from: metrics never computed (the first computation, a year
// of points), or computed and then marked dirty by a fact of yesterday (the incremental one: two points).
import type { Queryable } from '@repopulse/core';

export const dayMs = 86_400_000;

/** The UTC day of a time, `YYYY-MM-DD`. */
export const utcDay = (time: number): string => new Date(time).toISOString().slice(0, 10);

/** Removes the repositories' points and snapshots, as if their metrics had never been computed. */
export async function forgetMetrics(database: Queryable, repositoryIds: readonly string[]): Promise<void> {
  await database.query('DELETE FROM metric_points WHERE metric_points.repository_id = ANY($1::bigint[])', [
    repositoryIds,
  ]);
  await database.query(
    'DELETE FROM metric_snapshots WHERE metric_snapshots.repository_id = ANY($1::bigint[])',
    [repositoryIds],
  );
  await database.query(
    `UPDATE repositories SET metrics_computed_at = NULL, metrics_dirty_since = NULL
     WHERE repositories.id = ANY($1::bigint[])`,
    [repositoryIds],
  );
  // So the next first computation writes into a table as clean as the first round's, not past dead rows.
  await database.query('VACUUM metric_points, metric_snapshots');
}

/** Marks the repositories' metrics stale from `day` on, as a fact written for that day does. */
export async function markDirtySince(
  database: Queryable,
  repositoryIds: readonly string[],
  day: string,
): Promise<void> {
  await database.query(
    'UPDATE repositories SET metrics_dirty_since = $2::date WHERE repositories.id = ANY($1::bigint[])',
    [repositoryIds, day],
  );
}
