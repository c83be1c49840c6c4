import type { Queryable } from '@repopulse/core';
import { trendFilterSql } from './trend-filters.js';
import type { TrendFilters, TrendPeriod } from './trends-parameters.js';

export interface GrowingRepository {
  host: string;
  owner: string;
  name: string;
  primaryLanguage: string | null;
  stars: number | null;
  starsGained: number;
  healthScore: number | null;
}

const columns = `repositories.host, repositories.owner, repositories.name,
  repositories.primary_language AS "primaryLanguage", repositories.stars,
  metric_snapshots.health_score AS "healthScore"`;

// 30 days is docs/METRICS.md's own window: the snapshot holds the gain as the engine defines it, extracted
// into an indexed column, so the top N is an ordered index scan.
function fromSnapshotsSql(conditions: string): string {
  return `
    SELECT ${columns}, metric_snapshots.stars_gained_30d::integer AS "starsGained"
      FROM metric_snapshots
      JOIN repositories ON repositories.id = metric_snapshots.repository_id
     WHERE metric_snapshots.stars_gained_30d > 0
       ${conditions}
     ORDER BY metric_snapshots.stars_gained_30d DESC NULLS LAST, metric_snapshots.repository_id DESC
     LIMIT $1`;
}

// Other windows: the current count less the count of the day before the window. That day's snapshots of
// every repository are one range of the (day) index, joined by hash; only a repository without a snapshot
// on that very day (a crawl skipped) looks up its latest earlier one, as the engine's definition does.
function fromDailyCountsSql(conditions: string): string {
  return `
    SELECT gains.host, gains.owner, gains.name, gains."primaryLanguage", gains.stars, gains."healthScore",
           gains.gained AS "starsGained"
      FROM (
        SELECT ${columns}, repositories.id,
               repositories.stars - coalesce(
                 window_start.stars,
                 (SELECT earlier.stars FROM repository_counts_daily AS earlier
                   WHERE earlier.repository_id = repositories.id AND earlier.day <= $2::date
                     AND earlier.stars IS NOT NULL
                   ORDER BY earlier.day DESC LIMIT 1),
                 CASE WHEN repositories.repo_created_at >= $3::timestamptz THEN 0 END) AS gained
          FROM repositories
          LEFT JOIN metric_snapshots ON metric_snapshots.repository_id = repositories.id
          LEFT JOIN repository_counts_daily AS window_start
            ON window_start.repository_id = repositories.id AND window_start.day = $2::date
           AND window_start.stars IS NOT NULL
         WHERE repositories.stars IS NOT NULL
           ${conditions}
      ) AS gains
     WHERE gains.gained > 0
     ORDER BY gains.gained DESC, gains.id DESC
     LIMIT $1`;
}

/** The repositories that gained most stars in the window, most first; none that gained none or unknown. */
export async function readFastestGrowing(
  database: Queryable,
  period: TrendPeriod,
  filters: TrendFilters,
  limit: number,
): Promise<GrowingRepository[]> {
  if (period.window === '30d') {
    const filter = trendFilterSql(filters, period.today, 2);
    const result = await database.query<GrowingRepository>(fromSnapshotsSql(filter.conditions), [
      limit,
      ...filter.values,
    ]);
    return result.rows;
  }
  const filter = trendFilterSql(filters, period.today, 4);
  const result = await database.query<GrowingRepository>(fromDailyCountsSql(filter.conditions), [
    limit,
    period.dayBefore,
    period.from.toISOString(),
    ...filter.values,
  ]);
  return result.rows;
}
