import type { Queryable } from '@repopulse/core';
import type { TimeRange } from '../time-range/time-range.js';

export interface ActivityBucket {
  /** RFC 3339, UTC: the first instant of the bucket. */
  start: string;
  commits: number;
  pullRequestsOpened: number;
  pullRequestsMerged: number;
  issuesOpened: number;
  issuesClosed: number;
  releases: number;
  stars: number;
  forks: number;
}

// Buckets are computed on UTC wall-clock timestamps so the session's time zone never shifts them;
// date_trunc('week') starts weeks on Monday. Each bucket sums whole days of the rollup, so the first and
// last buckets report their full day, week or month even when `from` or `to` falls inside them.
const activitySeriesSql = `
  SELECT to_char(buckets.start, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "start",
         coalesce(sum(activity_daily.commits), 0)::integer AS "commits",
         coalesce(sum(activity_daily.pull_requests_opened), 0)::integer AS "pullRequestsOpened",
         coalesce(sum(activity_daily.pull_requests_merged), 0)::integer AS "pullRequestsMerged",
         coalesce(sum(activity_daily.issues_opened), 0)::integer AS "issuesOpened",
         coalesce(sum(activity_daily.issues_closed), 0)::integer AS "issuesClosed",
         coalesce(sum(activity_daily.releases), 0)::integer AS "releases",
         coalesce(sum(activity_daily.stars), 0)::integer AS "stars",
         coalesce(sum(activity_daily.forks), 0)::integer AS "forks"
    FROM generate_series(
           date_trunc($2::text, $3::timestamptz AT TIME ZONE 'UTC'),
           date_trunc($2::text, ($4::timestamptz - interval '1 millisecond') AT TIME ZONE 'UTC'),
           ('1 ' || $2::text)::interval
         ) AS buckets (start)
    LEFT JOIN activity_daily
      ON activity_daily.repository_id = $1
     AND activity_daily.day >= buckets.start::date
     AND activity_daily.day < (buckets.start + ('1 ' || $2::text)::interval)::date
   GROUP BY buckets.start
   ORDER BY buckets.start`;

/**
 * Activity of one repository per bucket of [from, to), oldest first, every bucket present (zero when
 * nothing happened). Reads only the activity_daily rollup, never the facts.
 */
export async function readActivitySeries(
  database: Queryable,
  repositoryId: string,
  range: TimeRange,
): Promise<ActivityBucket[]> {
  const result = await database.query<ActivityBucket>(activitySeriesSql, [
    repositoryId,
    range.interval,
    range.from.toISOString(),
    range.to.toISOString(),
  ]);
  return result.rows;
}
