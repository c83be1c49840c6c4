// The baseline of the metrics benchmark: twelve of the engine's metrics computed by hand-written SQL straight
// from the raw facts, now (one aggregate per fact table) and at the end of each day of a series (counts per
// day, then window sums over them), for any set of repositories. What the engine's definitions cost beyond
// this is what the benchmark reports. The identities are the generated data's: a person is their e-mail
// (no logins on the commits), bots are marked.
import type { Queryable } from '@repopulse/core';

/** The metrics the baseline computes, by the engine's names. */
export const baselineMetrics = [
  'commits_30d',
  'commits_90d',
  'commits_365d',
  'lines_added_90d',
  'lines_removed_90d',
  'contributors_90d',
  'contributors_365d',
  'pull_requests_opened_90d',
  'pull_requests_merged_90d',
  'issues_opened_90d',
  'issues_closed_90d',
  'releases_365d',
] as const;

export type BaselineValues = Record<(typeof baselineMetrics)[number], number>;

export interface BaselinePoint {
  repositoryId: string;
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  values: BaselineValues;
}

// In hours, so the windows are docs/METRICS.md's `[now − n × 24 h, now)` whatever the session's time zone.
const before = (days: number) => `$2::timestamptz - interval '${days * 24} hours'`;
const within = (column: string, days: number) => `${column} >= ${before(days)} AND ${column} < $2`;

const snapshotQuery = `
SELECT ids.repository_id::text AS repository_id,
       coalesce(c.commits_30d, 0)::integer AS commits_30d, coalesce(c.commits_90d, 0)::integer AS commits_90d,
       coalesce(c.commits_365d, 0)::integer AS commits_365d, coalesce(c.lines_added_90d, 0)::integer AS lines_added_90d,
       coalesce(c.lines_removed_90d, 0)::integer AS lines_removed_90d,
       coalesce(c.contributors_90d, 0)::integer AS contributors_90d,
       coalesce(c.contributors_365d, 0)::integer AS contributors_365d,
       p.opened::integer AS pull_requests_opened_90d, p.merged::integer AS pull_requests_merged_90d,
       i.opened::integer AS issues_opened_90d, i.closed::integer AS issues_closed_90d,
       r.releases::integer AS releases_365d
FROM unnest($1::bigint[]) AS ids (repository_id)
LEFT JOIN (
  SELECT commits.repository_id,
         count(*) FILTER (WHERE ${within('commits.authored_at', 30)}) AS commits_30d,
         count(*) FILTER (WHERE ${within('commits.authored_at', 90)}) AS commits_90d,
         count(*) AS commits_365d,
         sum(commits.additions) FILTER (WHERE ${within('commits.authored_at', 90)}) AS lines_added_90d,
         sum(commits.deletions) FILTER (WHERE ${within('commits.authored_at', 90)}) AS lines_removed_90d,
         count(DISTINCT lower(commits.author_email))
           FILTER (WHERE NOT commits.author_is_bot AND ${within('commits.authored_at', 90)}) AS contributors_90d,
         count(DISTINCT lower(commits.author_email)) FILTER (WHERE NOT commits.author_is_bot) AS contributors_365d
  FROM commits
  WHERE commits.repository_id = ANY($1::bigint[]) AND NOT commits.is_merge AND ${within('commits.authored_at', 365)}
  GROUP BY commits.repository_id
) AS c ON c.repository_id = ids.repository_id
CROSS JOIN LATERAL (
  SELECT count(*) FILTER (WHERE ${within('pull_requests.created_at', 90)}) AS opened,
         count(*) FILTER (WHERE ${within('pull_requests.merged_at', 90)}) AS merged
  FROM pull_requests WHERE pull_requests.repository_id = ids.repository_id
) AS p
CROSS JOIN LATERAL (
  SELECT count(*) FILTER (WHERE ${within('issues.created_at', 90)}) AS opened,
         count(*) FILTER (WHERE issues.state = 'closed' AND ${within('issues.closed_at', 90)}) AS closed
  FROM issues WHERE issues.repository_id = ids.repository_id
) AS i
CROSS JOIN LATERAL (
  SELECT count(*) AS releases FROM releases
  WHERE releases.repository_id = ids.repository_id AND releases.deleted_at IS NULL
    AND ${within('releases.published_at', 365)}
) AS r`;

// The days $2 … $3 need the facts of the 364 days before $2 too (the longest window is 365 days).
const day = (column: string) => `(${column} AT TIME ZONE 'UTC')::date`;
const inSpan = (column: string) =>
  `${column} >= ($2::date - 364)::timestamp AT TIME ZONE 'UTC' AND ${column} < ($3::date + 1)::timestamp AT TIME ZONE 'UTC'`;

const seriesQuery = `
WITH span AS (
  SELECT ids.repository_id, d::date AS day
  FROM unnest($1::bigint[]) AS ids (repository_id), generate_series($2::date - 364, $3::date, interval '1 day') AS d
),
commit_days AS (
  SELECT commits.repository_id, ${day('commits.authored_at')} AS day, count(*) AS commits,
         sum(commits.additions) AS added, sum(commits.deletions) AS removed
  FROM commits
  WHERE commits.repository_id = ANY($1::bigint[]) AND NOT commits.is_merge AND ${inSpan('commits.authored_at')}
  GROUP BY 1, 2
),
author_days AS (
  SELECT DISTINCT commits.repository_id, lower(commits.author_email) AS person, ${day('commits.authored_at')} AS day
  FROM commits
  WHERE commits.repository_id = ANY($1::bigint[]) AND NOT commits.is_merge AND NOT commits.author_is_bot
    AND ${inSpan('commits.authored_at')}
),
-- A person counts in a window from a day they committed until the window has passed that day or their next
-- commit day takes over: +1 then, −1 at the end, so a running sum of the steps is the distinct count.
contributor_steps AS (
  SELECT a.repository_id, step.day, sum(step.in_90d) AS in_90d, sum(step.in_365d) AS in_365d
  FROM (
    SELECT author_days.*,
           lead(author_days.day) OVER (PARTITION BY author_days.repository_id, author_days.person ORDER BY author_days.day)
             AS next_day
    FROM author_days
  ) AS a
  CROSS JOIN LATERAL (VALUES (a.day, 1, 1), (least(a.next_day, a.day + 90), -1, 0),
                             (least(a.next_day, a.day + 365), 0, -1)) AS step (day, in_90d, in_365d)
  GROUP BY 1, 2
),
pull_request_days AS (
  SELECT events.repository_id, events.day, sum(events.opened) AS opened, sum(events.merged) AS merged
  FROM (
    SELECT pull_requests.repository_id, ${day('pull_requests.created_at')} AS day, 1 AS opened, 0 AS merged
    FROM pull_requests
    WHERE pull_requests.repository_id = ANY($1::bigint[]) AND ${inSpan('pull_requests.created_at')}
    UNION ALL
    SELECT pull_requests.repository_id, ${day('pull_requests.merged_at')}, 0, 1
    FROM pull_requests
    WHERE pull_requests.repository_id = ANY($1::bigint[]) AND ${inSpan('pull_requests.merged_at')}
  ) AS events
  GROUP BY 1, 2
),
issue_days AS (
  SELECT events.repository_id, events.day, sum(events.opened) AS opened, sum(events.closed) AS closed
  FROM (
    SELECT issues.repository_id, ${day('issues.created_at')} AS day, 1 AS opened, 0 AS closed
    FROM issues WHERE issues.repository_id = ANY($1::bigint[]) AND ${inSpan('issues.created_at')}
    UNION ALL
    SELECT issues.repository_id, ${day('issues.closed_at')}, 0, 1
    FROM issues
    WHERE issues.repository_id = ANY($1::bigint[]) AND issues.state = 'closed' AND ${inSpan('issues.closed_at')}
  ) AS events
  GROUP BY 1, 2
),
release_days AS (
  SELECT releases.repository_id, ${day('releases.published_at')} AS day, count(*) AS releases
  FROM releases
  WHERE releases.repository_id = ANY($1::bigint[]) AND releases.deleted_at IS NULL
    AND ${inSpan('releases.published_at')}
  GROUP BY 1, 2
),
daily AS (
  SELECT span.repository_id, span.day, coalesce(c.commits, 0) AS commits, coalesce(c.added, 0) AS added,
         coalesce(c.removed, 0) AS removed, coalesce(s.in_90d, 0) AS in_90d, coalesce(s.in_365d, 0) AS in_365d,
         coalesce(p.opened, 0) AS pull_requests_opened, coalesce(p.merged, 0) AS pull_requests_merged,
         coalesce(i.opened, 0) AS issues_opened, coalesce(i.closed, 0) AS issues_closed,
         coalesce(r.releases, 0) AS releases
  FROM span
  LEFT JOIN commit_days AS c USING (repository_id, day)
  LEFT JOIN contributor_steps AS s USING (repository_id, day)
  LEFT JOIN pull_request_days AS p USING (repository_id, day)
  LEFT JOIN issue_days AS i USING (repository_id, day)
  LEFT JOIN release_days AS r USING (repository_id, day)
),
series AS (
  SELECT daily.repository_id, daily.day,
         sum(daily.commits) OVER last_30 AS commits_30d, sum(daily.commits) OVER last_90 AS commits_90d,
         sum(daily.commits) OVER last_365 AS commits_365d, sum(daily.added) OVER last_90 AS lines_added_90d,
         sum(daily.removed) OVER last_90 AS lines_removed_90d, sum(daily.in_90d) OVER running AS contributors_90d,
         sum(daily.in_365d) OVER running AS contributors_365d,
         sum(daily.pull_requests_opened) OVER last_90 AS pull_requests_opened_90d,
         sum(daily.pull_requests_merged) OVER last_90 AS pull_requests_merged_90d,
         sum(daily.issues_opened) OVER last_90 AS issues_opened_90d,
         sum(daily.issues_closed) OVER last_90 AS issues_closed_90d, sum(daily.releases) OVER last_365 AS releases_365d
  FROM daily
  WINDOW by_day AS (PARTITION BY daily.repository_id ORDER BY daily.day),
         last_30 AS (by_day ROWS BETWEEN 29 PRECEDING AND CURRENT ROW),
         last_90 AS (by_day ROWS BETWEEN 89 PRECEDING AND CURRENT ROW),
         last_365 AS (by_day ROWS BETWEEN 364 PRECEDING AND CURRENT ROW),
         running AS (by_day ROWS UNBOUNDED PRECEDING)
)
SELECT series.repository_id::text AS repository_id, to_char(series.day, 'YYYY-MM-DD') AS day,
       ${baselineMetrics.map((name) => `series.${name}::integer AS ${name}`).join(', ')}
FROM series WHERE series.day >= $2::date
ORDER BY series.repository_id, series.day`;

type BaselineRow = { repository_id: string } & BaselineValues;

const valuesOf = (row: BaselineRow): BaselineValues =>
  Object.fromEntries(baselineMetrics.map((name) => [name, row[name]])) as BaselineValues;

/** The twelve metrics now, for each repository. */
export async function baselineSnapshot(
  database: Queryable,
  repositoryIds: readonly string[],
  now: number,
): Promise<Map<string, BaselineValues>> {
  const { rows } = await database.query<BaselineRow>(snapshotQuery, [repositoryIds, new Date(now)]);
  return new Map(rows.map((row) => [row.repository_id, valuesOf(row)]));
}

/**
 * The twelve metrics at the end of each UTC day from `fromDay` to `toDay` (`YYYY-MM-DD`, both included), for
 * each repository. The engine's point of today is the metric now, not at the end of the day: compare it
 * with the snapshot instead.
 */
export async function baselineSeries(
  database: Queryable,
  repositoryIds: readonly string[],
  fromDay: string,
  toDay: string,
): Promise<BaselinePoint[]> {
  const { rows } = await database.query<BaselineRow & { day: string }>(seriesQuery, [
    repositoryIds,
    fromDay,
    toDay,
  ]);
  return rows.map((row) => ({ repositoryId: row.repository_id, day: row.day, values: valuesOf(row) }));
}
