import type { Queryable } from '@repopulse/core';
import type { TimeRange } from '../time-range/time-range.js';

/** One bucket of a metric series: its start and each metric's value at its end (null when unknown). */
export type MetricSeriesBucket = { start: string } & Record<string, number | string | null>;

interface BucketRow {
  repositoryId: string;
  start: string;
  values: Record<string, number | null>;
}

// A metric is a state, not a count: a bucket holds the point of the last day within it that has one (the
// end of the week or month, or the latest day computed so far in the current one). Buckets cover whole
// days, weeks (from Monday) and months in UTC, as the activity series' do. The points come from one range
// scan of the primary key; the last of each bucket is picked by hashing, not sorting (a year of every
// metric for five repositories is 62,000 points): `max` over [day number, value] arrays compares the days,
// which are unique within a bucket, and returns the value beside the latest.
const metricSeriesSql = `
  WITH buckets AS (
    SELECT generate_series(
             date_trunc($3::text, $4::timestamptz AT TIME ZONE 'UTC'),
             date_trunc($3::text, ($5::timestamptz - interval '1 millisecond') AT TIME ZONE 'UTC'),
             ('1 ' || $3::text)::interval
           ) AS start
  ),
  last_points AS (
    SELECT metric_points.repository_id,
           metric_points.metric,
           date_trunc($3::text, metric_points.day::timestamp) AS start,
           (max(ARRAY[metric_points.day - DATE '2000-01-01', metric_points.value]))[2] AS value
      FROM metric_points
     WHERE metric_points.repository_id = ANY($1::bigint[])
       AND metric_points.metric = ANY($2::text[])
       AND metric_points.day >= date_trunc($3::text, $4::timestamptz AT TIME ZONE 'UTC')::date
       AND metric_points.day < (date_trunc($3::text, ($5::timestamptz - interval '1 millisecond') AT TIME ZONE 'UTC')
                                + ('1 ' || $3::text)::interval)::date
     GROUP BY metric_points.repository_id, metric_points.metric, date_trunc($3::text, metric_points.day::timestamp)
  )
  SELECT wanted.id::text AS "repositoryId",
         to_char(buckets.start, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "start",
         coalesce(jsonb_object_agg(last_points.metric, last_points.value)
                    FILTER (WHERE last_points.metric IS NOT NULL), '{}'::jsonb) AS "values"
    FROM unnest($1::bigint[]) AS wanted (id)
   CROSS JOIN buckets
    LEFT JOIN last_points ON last_points.repository_id = wanted.id AND last_points.start = buckets.start
   GROUP BY wanted.id, buckets.start
   ORDER BY wanted.id, buckets.start`;

/**
 * The series of the named metrics over [from, to) for each repository, in one query: every bucket present,
 * oldest first, `null` for a metric without a known point in the bucket. Reads only metric_points.
 */
export async function readMetricSeries(
  database: Queryable,
  repositoryIds: readonly string[],
  names: readonly string[],
  range: TimeRange,
): Promise<Map<string, MetricSeriesBucket[]>> {
  const result = await database.query<BucketRow>(metricSeriesSql, [
    repositoryIds,
    names,
    range.interval,
    range.from.toISOString(),
    range.to.toISOString(),
  ]);
  const series = new Map<string, MetricSeriesBucket[]>(repositoryIds.map((id) => [id, []]));
  for (const row of result.rows) {
    const bucket: MetricSeriesBucket = { start: row.start };
    for (const name of names) bucket[name] = row.values[name] ?? null;
    series.get(row.repositoryId)?.push(bucket);
  }
  return series;
}
