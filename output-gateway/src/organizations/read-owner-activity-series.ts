import type { Queryable } from '@repopulse/core';
import type { ActivityBucket } from '../activity/read-activity-series.js';
import type { TimeRange } from '../time-range/time-range.js';

// As the repository series (read-activity-series.ts), from the owner rollup: one row per owner and day,
// so a year of an organisation's activity is a range scan of at most 366 rows however many repositories
// it has.
const ownerActivitySeriesSql = `
  SELECT to_char(buckets.start, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "start",
         coalesce(sum(owner_activity_daily.commits), 0)::integer AS "commits",
         coalesce(sum(owner_activity_daily.pull_requests_opened), 0)::integer AS "pullRequestsOpened",
         coalesce(sum(owner_activity_daily.pull_requests_merged), 0)::integer AS "pullRequestsMerged",
         coalesce(sum(owner_activity_daily.issues_opened), 0)::integer AS "issuesOpened",
         coalesce(sum(owner_activity_daily.issues_closed), 0)::integer AS "issuesClosed",
         coalesce(sum(owner_activity_daily.releases), 0)::integer AS "releases",
         coalesce(sum(owner_activity_daily.stars), 0)::integer AS "stars",
         coalesce(sum(owner_activity_daily.forks), 0)::integer AS "forks"
    FROM generate_series(
           date_trunc($3::text, $4::timestamptz AT TIME ZONE 'UTC'),
           date_trunc($3::text, ($5::timestamptz - interval '1 millisecond') AT TIME ZONE 'UTC'),
           ('1 ' || $3::text)::interval
         ) AS buckets (start)
    LEFT JOIN owner_activity_daily
      ON owner_activity_daily.host = lower($1)
     AND owner_activity_daily.owner_key = lower($2)
     AND owner_activity_daily.day >= buckets.start::date
     AND owner_activity_daily.day < (buckets.start + ('1 ' || $3::text)::interval)::date
   GROUP BY buckets.start
   ORDER BY buckets.start`;

/**
 * Activity of all the owner's repositories per bucket of [from, to), oldest first, every bucket present.
 * Reads only the owner_activity_daily rollup.
 */
export async function readOwnerActivitySeries(
  database: Queryable,
  owner: { host: string; owner: string },
  range: TimeRange,
): Promise<ActivityBucket[]> {
  const result = await database.query<ActivityBucket>(ownerActivitySeriesSql, [
    owner.host,
    owner.owner,
    range.interval,
    range.from.toISOString(),
    range.to.toISOString(),
  ]);
  return result.rows;
}
