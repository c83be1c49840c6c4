import type { Queryable } from '@repopulse/core';

/**
 * Records, per repository, the earliest day whose facts a write changed: `metrics.compute` recomputes the
 * metrics' daily series from there on.
 */
export async function markMetricsDirty(
  transaction: Queryable,
  repositoryIds: string[],
  days: string[],
): Promise<void> {
  await transaction.query(
    `UPDATE repositories r SET metrics_dirty_since = d.first_day
     FROM (SELECT t.repository_id, min(t.day) AS first_day FROM unnest($1::bigint[], $2::date[]) AS t (repository_id, day)
           GROUP BY t.repository_id) AS d
     WHERE r.id = d.repository_id AND (r.metrics_dirty_since IS NULL OR r.metrics_dirty_since > d.first_day)`,
    [repositoryIds, days],
  );
}
