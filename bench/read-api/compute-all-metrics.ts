import { performance } from 'node:perf_hooks';
import { createDatabase, createEnvelope, type Logger } from '@repopulse/core';
import { createMetricsComputeHandler } from '../../integration-engine/src/metrics/handle-metrics-compute.js';

export interface MetricsRun {
  repositories: number;
  withSeries: number;
  points: number;
  ms: number;
  /** Mean time of one repository's handler transaction, with a year of points and with today's only. */
  seriesMeanMs: number;
  snapshotMeanMs: number;
}

/**
 * Runs the engine's own `metrics.compute` handler for every repository, as the worker would (one
 * transaction each), `concurrency` at a time so one repository's points are written while the next one's
 * metrics are computed. The handler computes a repository's whole year of daily points the first time;
 * repositories not among `withSeries` are marked computed beforehand, so it computes their snapshot and
 * today's point only (a full series for all 10,000 is ~130 million points; see the README).
 */
export async function computeAllMetrics(options: {
  databaseUrl: string;
  logger: Logger;
  now: Date;
  concurrency: number;
  /** How many repositories get the full year of points: every hundredth-ranked spread over sizes. */
  withSeries: number;
}): Promise<MetricsRun> {
  const database = createDatabase({
    url: options.databaseUrl,
    logger: options.logger,
    maxConnections: options.concurrency,
    applicationName: 'bench-read-api-metrics',
  });
  const started = performance.now();
  try {
    const { rows } = await database.query<{ id: string; series: boolean }>(
      // Repositories ranked by their number of facts, so the ones with a series are spread over every size.
      `WITH ranked AS (
         SELECT r.id, row_number() OVER (ORDER BY coalesce(c.commits, 0) DESC, r.id) AS rank, count(*) OVER () AS total
         FROM repositories AS r
         LEFT JOIN (SELECT repository_id, sum(commits) AS commits FROM activity_daily GROUP BY 1) AS c
           ON c.repository_id = r.id)
       SELECT id::text AS id,
              $1::int > 0 AND (rank - 1) % greatest(1, total / $1::int) = 0 AND (rank - 1) / greatest(1, total / $1::int) < $1::int AS series
       FROM ranked ORDER BY rank`,
      [options.withSeries],
    );
    await database.query(
      `UPDATE repositories SET metrics_computed_at = CASE WHEN id = ANY($1::bigint[]) THEN NULL ELSE $2::timestamptz END,
         metrics_dirty_since = NULL`,
      [rows.filter((row) => row.series).map((row) => row.id), options.now],
    );
    const handler = createMetricsComputeHandler({ now: () => options.now.getTime() });
    let next = 0;
    let done = 0;
    const spent = { series: 0, snapshot: 0 };
    const progress = setInterval(() => {
      const seconds = (performance.now() - started) / 1000;
      console.log(`  metrics: ${done} / ${rows.length} repositories after ${seconds.toFixed(0)} s`);
    }, 30_000);
    const worker = async () => {
      while (next < rows.length) {
        const { id: repositoryId, series } = rows[next++]!;
        const envelope = createEnvelope('metrics.compute', { repositoryId });
        const handlerStarted = performance.now();
        await database.transaction((transaction) =>
          handler({ envelope, transaction, logger: options.logger }),
        );
        spent[series ? 'series' : 'snapshot'] += performance.now() - handlerStarted;
        done++;
      }
    };
    try {
      await Promise.all(Array.from({ length: options.concurrency }, worker));
    } finally {
      clearInterval(progress);
    }
    const points = await database.query<{ count: string }>(
      'SELECT count(*)::text AS count FROM metric_points',
    );
    const withSeries = rows.filter((row) => row.series).length;
    return {
      repositories: rows.length,
      withSeries,
      points: Number(points.rows[0]!.count),
      ms: performance.now() - started,
      seriesMeanMs: spent.series / Math.max(1, withSeries),
      snapshotMeanMs: spent.snapshot / Math.max(1, rows.length - withSeries),
    };
  } finally {
    await database.close();
  }
}
