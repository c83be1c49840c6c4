// The benchmark's check that both sides computed the same numbers: the engine's stored points and snapshots
// against the SQL baseline's, metric by metric, for the twelve metrics the baseline knows.
import type { Queryable } from '@repopulse/core';
import { baselineMetrics, type BaselinePoint, type BaselineValues } from './sql-baseline.js';

export interface Comparison {
  compared: number;
  mismatches: string[];
}

/**
 * Compares the baseline's series (past days only: the engine's point of today is the metric now) with
 * `metric_points`, and the baseline's snapshot with `metric_snapshots`. Days before a repository's first
 * fact have no engine point and are skipped.
 */
export async function compareWithEngine(
  database: Queryable,
  series: readonly BaselinePoint[],
  snapshots: ReadonlyMap<string, BaselineValues>,
  today: string,
): Promise<Comparison> {
  const repositoryIds = [...snapshots.keys()];
  const points = await database.query<{ key: string; value: number | null }>(
    `SELECT metric_points.repository_id || ' ' || metric_points.metric || ' ' || metric_points.day AS key,
            metric_points.value
     FROM metric_points
     WHERE metric_points.repository_id = ANY($1::bigint[]) AND metric_points.metric = ANY($2::text[])
       AND metric_points.day < $3::date`,
    [repositoryIds, baselineMetrics, today],
  );
  const engine = new Map(points.rows.map((row) => [row.key, row.value]));
  const comparison: Comparison = { compared: 0, mismatches: [] };
  const compare = (where: string, engineValue: number | null | undefined, baselineValue: number) => {
    if (engineValue === undefined) return;
    comparison.compared++;
    if (engineValue !== baselineValue)
      comparison.mismatches.push(`${where}: engine ${engineValue}, baseline ${baselineValue}`);
  };
  for (const point of series) {
    if (point.day >= today) continue;
    for (const metric of baselineMetrics) {
      const key = `${point.repositoryId} ${metric} ${point.day}`;
      compare(`repository ${key}`, engine.get(key), point.values[metric]);
    }
  }
  const stored = await database.query<{
    repository_id: string;
    metrics: Record<string, { value: number | null }>;
  }>(
    `SELECT metric_snapshots.repository_id::text AS repository_id, metric_snapshots.metrics
     FROM metric_snapshots WHERE metric_snapshots.repository_id = ANY($1::bigint[])`,
    [repositoryIds],
  );
  for (const row of stored.rows) {
    const baseline = snapshots.get(row.repository_id)!;
    for (const metric of baselineMetrics)
      compare(
        `repository ${row.repository_id} ${metric} now`,
        row.metrics[metric]?.value ?? null,
        baseline[metric],
      );
  }
  return comparison;
}
