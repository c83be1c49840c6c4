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
    `WITH t AS (SELECT * FROM unnest($1::bigint[], $2::date[]) AS t (repository_id, day)) ${markMetricsDirtyFrom('t')}`,
    [repositoryIds, days],
  );
}

/** The UPDATE of `markMetricsDirty` over a relation `touched` of (repository_id, day), to end a statement of one's own. */
export function markMetricsDirtyFrom(touched: string): string {
  return `UPDATE repositories r SET metrics_dirty_since = first.day
     FROM (SELECT ${touched}.repository_id, min(${touched}.day) AS day FROM ${touched} GROUP BY ${touched}.repository_id) AS first
     WHERE r.id = first.repository_id AND (r.metrics_dirty_since IS NULL OR r.metrics_dirty_since > first.day)`;
}
