import type { Queryable } from '@repopulse/core';

// The answer of `GET …/activity?interval=week` computed from the facts themselves: each fact table
// grouped by the UTC week of its time, summed per week, every week present. The range is widened to whole
// weeks as the endpoint's is (it sums whole days of the rollup into whole buckets). Over several
// repositories, it is an organisation's activity.
const rawWeeklyActivitySql = `
  WITH bounds AS (
    SELECT date_trunc('week', $2::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS from_at,
           (date_trunc('week', ($3::timestamptz - interval '1 millisecond') AT TIME ZONE 'UTC') + interval '1 week')
             AT TIME ZONE 'UTC' AS to_at),
  facts AS (
    SELECT date_trunc('week', c.authored_at AT TIME ZONE 'UTC') AS week, count(*) AS commits, 0 AS pull_requests_opened,
           0 AS pull_requests_merged, 0 AS issues_opened, 0 AS issues_closed, 0 AS releases, 0 AS stars, 0 AS forks
      FROM commits AS c, bounds
     WHERE c.repository_id = ANY($1::bigint[]) AND c.authored_at >= bounds.from_at AND c.authored_at < bounds.to_at AND NOT c.is_merge
     GROUP BY 1
    UNION ALL
    SELECT date_trunc('week', p.created_at AT TIME ZONE 'UTC'), 0, count(*), 0, 0, 0, 0, 0, 0
      FROM pull_requests AS p, bounds
     WHERE p.repository_id = ANY($1::bigint[]) AND p.created_at >= bounds.from_at AND p.created_at < bounds.to_at
     GROUP BY 1
    UNION ALL
    SELECT date_trunc('week', p.merged_at AT TIME ZONE 'UTC'), 0, 0, count(*), 0, 0, 0, 0, 0
      FROM pull_requests AS p, bounds
     WHERE p.repository_id = ANY($1::bigint[]) AND p.merged_at >= bounds.from_at AND p.merged_at < bounds.to_at
     GROUP BY 1
    UNION ALL
    SELECT date_trunc('week', i.created_at AT TIME ZONE 'UTC'), 0, 0, 0, count(*), 0, 0, 0, 0
      FROM issues AS i, bounds
     WHERE i.repository_id = ANY($1::bigint[]) AND i.created_at >= bounds.from_at AND i.created_at < bounds.to_at
     GROUP BY 1
    UNION ALL
    SELECT date_trunc('week', i.closed_at AT TIME ZONE 'UTC'), 0, 0, 0, 0, count(*), 0, 0, 0
      FROM issues AS i, bounds
     WHERE i.repository_id = ANY($1::bigint[]) AND i.closed_at >= bounds.from_at AND i.closed_at < bounds.to_at
     GROUP BY 1
    UNION ALL
    SELECT date_trunc('week', r.published_at AT TIME ZONE 'UTC'), 0, 0, 0, 0, 0, count(*), 0, 0
      FROM releases AS r, bounds
     WHERE r.repository_id = ANY($1::bigint[]) AND r.published_at >= bounds.from_at AND r.published_at < bounds.to_at
       AND r.deleted_at IS NULL
     GROUP BY 1
    UNION ALL
    SELECT date_trunc('week', s.starred_at AT TIME ZONE 'UTC'), 0, 0, 0, 0, 0, 0, count(*), 0
      FROM stars AS s, bounds
     WHERE s.repository_id = ANY($1::bigint[]) AND s.starred_at >= bounds.from_at AND s.starred_at < bounds.to_at
       AND s.unstarred_at IS NULL
     GROUP BY 1
    UNION ALL
    SELECT date_trunc('week', f.forked_at AT TIME ZONE 'UTC'), 0, 0, 0, 0, 0, 0, 0, count(*)
      FROM forks AS f, bounds
     WHERE f.repository_id = ANY($1::bigint[]) AND f.forked_at >= bounds.from_at AND f.forked_at < bounds.to_at
     GROUP BY 1)
  SELECT to_char(weeks.start, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "start",
         coalesce(sum(facts.commits), 0)::integer AS "commits",
         coalesce(sum(facts.pull_requests_opened), 0)::integer AS "pullRequestsOpened",
         coalesce(sum(facts.pull_requests_merged), 0)::integer AS "pullRequestsMerged",
         coalesce(sum(facts.issues_opened), 0)::integer AS "issuesOpened",
         coalesce(sum(facts.issues_closed), 0)::integer AS "issuesClosed",
         coalesce(sum(facts.releases), 0)::integer AS "releases",
         coalesce(sum(facts.stars), 0)::integer AS "stars",
         coalesce(sum(facts.forks), 0)::integer AS "forks"
    FROM bounds
    CROSS JOIN LATERAL generate_series(bounds.from_at AT TIME ZONE 'UTC',
                                       bounds.to_at AT TIME ZONE 'UTC' - interval '1 week', interval '1 week') AS weeks (start)
    LEFT JOIN facts ON facts.week = weeks.start
   GROUP BY weeks.start
   ORDER BY weeks.start`;

export async function rawWeeklyActivity(
  database: Queryable,
  repositoryIds: readonly string[],
  from: Date,
  to: Date,
): Promise<unknown[]> {
  const { rows } = await database.query(rawWeeklyActivitySql, [repositoryIds, from, to]);
  return rows;
}
