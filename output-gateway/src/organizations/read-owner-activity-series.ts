import type { Queryable } from '@repopulse/core';
import type { ActivityBucket } from '../activity/read-activity-series.js';
import type { TimeRange } from '../time-range/time-range.js';

// As the repository series (read-activity-series.ts), from the owner rollup: one row per owner and day,
// so a year of an organisation's activity is a range scan of at most 366 rows however many repositories
// it has (read through the owner_activity view: the folded rows and the few changes not folded yet).
const ownerActivitySeriesSql = `
  WITH owner_days AS (
    SELECT * FROM owner_activity
     WHERE owner_activity.host = lower($1)
       AND owner_activity.owner_key = lower($2)
       -- Whole buckets: from the start of the one holding from to the end of the one holding to's last instant.
       AND owner_activity.day >= date_trunc($3::text, $4::timestamptz AT TIME ZONE 'UTC')::date
       AND owner_activity.day < (date_trunc($3::text, ($5::timestamptz - interval '1 millisecond') AT TIME ZONE 'UTC')
                                 + ('1 ' || $3::text)::interval)::date
  )
  SELECT to_char(buckets.start, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "start",
         coalesce(sum(owner_days.commits), 0)::integer AS "commits",
         coalesce(sum(owner_days.pull_requests_opened), 0)::integer AS "pullRequestsOpened",
         coalesce(sum(owner_days.pull_requests_merged), 0)::integer AS "pullRequestsMerged",
         coalesce(sum(owner_days.issues_opened), 0)::integer AS "issuesOpened",
         coalesce(sum(owner_days.issues_closed), 0)::integer AS "issuesClosed",
         coalesce(sum(owner_days.releases), 0)::integer AS "releases",
         coalesce(sum(owner_days.stars), 0)::integer AS "stars",
         coalesce(sum(owner_days.forks), 0)::integer AS "forks"
    FROM generate_series(
           date_trunc($3::text, $4::timestamptz AT TIME ZONE 'UTC'),
           date_trunc($3::text, ($5::timestamptz - interval '1 millisecond') AT TIME ZONE 'UTC'),
           ('1 ' || $3::text)::interval
         ) AS buckets (start)
    LEFT JOIN owner_days
      ON owner_days.day >= buckets.start::date
     AND owner_days.day < (buckets.start + ('1 ' || $3::text)::interval)::date
   GROUP BY buckets.start
   ORDER BY buckets.start`;

/**
 * Activity of all the owner's repositories per bucket of [from, to), oldest first, every bucket present.
 * Reads only the owner rollup (the owner_activity view).
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
