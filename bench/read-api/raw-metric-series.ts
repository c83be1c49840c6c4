import type { Queryable } from '@repopulse/core';

/** The metrics of the compare-with-series read whose weekly values plain SQL computes from the facts. */
export const seriesMetricNames = [
  'commits_30d',
  'pull_requests_merged_90d',
  'contributors_90d',
  'stars',
] as const;

// Each week's value is the metric at the end of the week's last day with a point, as the endpoint's
// bucket holds it: the week's end, or the dataset's "now" in the current week. Counted from the facts in
// the window before that instant, one index range scan per repository, week and metric.
const rawWeeklyMetricsSql = `
  WITH weeks AS (
    SELECT start, least(start + interval '1 week', $3::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS end_at
      FROM generate_series(date_trunc('week', $2::timestamptz AT TIME ZONE 'UTC'),
                           date_trunc('week', $3::timestamptz AT TIME ZONE 'UTC'), interval '1 week') AS start)
  SELECT listed.id::text AS "repositoryId", to_char(weeks.start, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "start",
         (SELECT count(*) FROM commits AS c
           WHERE c.repository_id = listed.id AND NOT c.is_merge
             AND c.authored_at >= weeks.end_at - interval '30 days' AND c.authored_at < weeks.end_at)::integer
           AS commits_30d,
         (SELECT count(*) FROM pull_requests AS p
           WHERE p.repository_id = listed.id
             AND p.merged_at >= weeks.end_at - interval '90 days' AND p.merged_at < weeks.end_at)::integer
           AS pull_requests_merged_90d,
         (SELECT count(DISTINCT lower(c.author_email)) FROM commits AS c
           WHERE c.repository_id = listed.id AND NOT c.is_merge AND NOT c.author_is_bot
             AND c.authored_at >= weeks.end_at - interval '90 days' AND c.authored_at < weeks.end_at)::integer
           AS contributors_90d,
         (SELECT count(*) FROM stars AS s
           WHERE s.repository_id = listed.id AND s.starred_at < weeks.end_at
             AND (s.unstarred_at IS NULL OR s.unstarred_at >= weeks.end_at))::integer AS stars
    FROM unnest($1::bigint[]) WITH ORDINALITY AS listed (id, position)
   CROSS JOIN weeks
   ORDER BY listed.position, weeks.start`;

/** Weekly values over [from, asOf] of `seriesMetricNames` for each repository, from the facts. */
export async function rawWeeklyMetrics(
  database: Queryable,
  repositoryIds: readonly string[],
  from: Date,
  asOf: Date,
): Promise<Array<Record<string, string | number>>> {
  const { rows } = await database.query<Record<string, string | number>>(rawWeeklyMetricsSql, [
    repositoryIds,
    from,
    asOf,
  ]);
  return rows;
}
