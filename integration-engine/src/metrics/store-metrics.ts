import type { Queryable } from '@repopulse/core';
import type { MetricsAt } from './compute-metrics.js';

/** Replaces the repository's snapshot with the metrics now. */
export async function storeMetricSnapshot(
  transaction: Queryable,
  repositoryId: string,
  latest: MetricsAt,
): Promise<void> {
  await transaction.query(
    `INSERT INTO metric_snapshots (repository_id, computed_at, metrics, health, health_score)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (repository_id) DO UPDATE SET computed_at = EXCLUDED.computed_at, metrics = EXCLUDED.metrics,
       health = EXCLUDED.health, health_score = EXCLUDED.health_score, updated_at = now()`,
    [
      repositoryId,
      new Date(latest.now),
      JSON.stringify(latest.metrics),
      JSON.stringify(latest.health),
      latest.health.score,
    ],
  );
}

/** Upserts one point per metric and day (`days[i]` is the UTC day of `points[i]`), in one statement. */
export async function storeMetricPoints(
  transaction: Queryable,
  repositoryId: string,
  points: ReadonlyArray<{ day: number; at: MetricsAt }>,
): Promise<number> {
  const metrics: string[] = [];
  const days: string[] = [];
  const values: Array<number | null> = [];
  const reasons: Array<string | null> = [];
  const versions: number[] = [];
  for (const { day, at } of points) {
    const date = new Date(day).toISOString().slice(0, 10);
    for (const [name, metric] of Object.entries(at.metrics)) {
      metrics.push(name);
      days.push(date);
      values.push(metric.value);
      reasons.push(metric.reason ?? null);
      versions.push(metric.version);
    }
    metrics.push('health_score');
    days.push(date);
    values.push(at.health.score);
    reasons.push(at.health.score === null ? 'no_components' : null);
    versions.push(1);
  }
  await transaction.query(
    `INSERT INTO metric_points AS p (repository_id, metric, day, value, reason, version)
     SELECT $1, t.metric, t.day, t.value, t.reason, t.version
     FROM unnest($2::text[], $3::date[], $4::float8[], $5::text[], $6::int[]) AS t (metric, day, value, reason, version)
     ON CONFLICT (repository_id, metric, day) DO UPDATE SET value = EXCLUDED.value, reason = EXCLUDED.reason,
       version = EXCLUDED.version`,
    [repositoryId, metrics, days, values, reasons, versions],
  );
  return metrics.length;
}
