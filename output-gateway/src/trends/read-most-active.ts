import type { Queryable } from '@repopulse/core';
import { trendFilterSql } from './trend-filters.js';
import type { TrendWindow } from './trends-endpoint.js';
import type { TrendFilters, TrendPeriod } from './trends-parameters.js';

export interface ActiveRepository {
  host: string;
  owner: string;
  name: string;
  primaryLanguage: string | null;
  stars: number | null;
  commits: number;
  healthScore: number | null;
}

const columns = `repositories.host, repositories.owner, repositories.name,
  repositories.primary_language AS "primaryLanguage", repositories.stars,
  metric_snapshots.health_score AS "healthScore"`;

/** The snapshot's column of each window docs/METRICS.md defines a commit count for (fixed, never input). */
const snapshotColumns: Partial<Record<TrendWindow, string>> = {
  '30d': 'commits_30d',
  '90d': 'commits_90d',
  '365d': 'commits_365d',
};

// The snapshot's count, extracted into an indexed column: the top N is an ordered index scan.
function fromSnapshotsSql(column: string, conditions: string): string {
  return `
    SELECT ${columns}, metric_snapshots.${column}::integer AS "commits"
      FROM metric_snapshots
      JOIN repositories ON repositories.id = metric_snapshots.repository_id
     WHERE metric_snapshots.${column} > 0
       ${conditions}
     ORDER BY metric_snapshots.${column} DESC NULLS LAST, metric_snapshots.repository_id DESC
     LIMIT $1`;
}

// No metric counts 7 days: the rollup's last 7 days, one range of its (day) index, summed per repository.
const fromActivityRollupSql = (conditions: string) => `
    SELECT ${columns}, recent.commits
      FROM (
        SELECT activity_daily.repository_id, sum(activity_daily.commits)::integer AS commits
          FROM activity_daily
         WHERE activity_daily.day > $2::date - 7 AND activity_daily.day <= $2::date
         GROUP BY activity_daily.repository_id
        HAVING sum(activity_daily.commits) > 0
      ) AS recent
      JOIN repositories ON repositories.id = recent.repository_id
      LEFT JOIN metric_snapshots ON metric_snapshots.repository_id = repositories.id
     WHERE true
       ${conditions}
     ORDER BY recent.commits DESC, repositories.id DESC
     LIMIT $1`;

/** The repositories with most non-merge commits authored in the window, most first; none without any. */
export async function readMostActive(
  database: Queryable,
  period: TrendPeriod,
  filters: TrendFilters,
  limit: number,
): Promise<ActiveRepository[]> {
  const column = snapshotColumns[period.window];
  if (column !== undefined) {
    const filter = trendFilterSql(filters, period.today, 2);
    const result = await database.query<ActiveRepository>(fromSnapshotsSql(column, filter.conditions), [
      limit,
      ...filter.values,
    ]);
    return result.rows;
  }
  const filter = trendFilterSql(filters, period.today, 3);
  const result = await database.query<ActiveRepository>(fromActivityRollupSql(filter.conditions), [
    limit,
    period.today,
    ...filter.values,
  ]);
  return result.rows;
}
