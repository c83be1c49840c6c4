import type pg from 'pg';
import { datasetShape } from './dataset-shape.js';

/**
 * The activity rollup as `refreshActivityDays` (integration-engine/src/activity/refresh-activity-days.ts)
 * leaves it once every fact was written: one row per repository and UTC day that some fact's time touches
 * (a commit's author date, a pull request's creation and merge, an issue's creation and close, a release's
 * publication, a star, a fork), holding the counts of that day. Merge commits, deleted releases and stars
 * taken back touch a day without counting, as in the engine; a pull request closed unmerged touches only
 * its creation day.
 */
export async function buildActivityDaily(client: pg.Client): Promise<number> {
  const result = await client.query(
    `INSERT INTO activity_daily (repository_id, day, commits, pull_requests_opened, pull_requests_merged,
       issues_opened, issues_closed, releases, stars, forks)
     SELECT t.repository_id, t.day, sum(t.commits), sum(t.pull_requests_opened), sum(t.pull_requests_merged),
            sum(t.issues_opened), sum(t.issues_closed), sum(t.releases), sum(t.stars), sum(t.forks)
     FROM (
       SELECT c.repository_id, (c.authored_at AT TIME ZONE 'UTC')::date AS day, count(*) FILTER (WHERE NOT c.is_merge) AS commits,
              0 AS pull_requests_opened, 0 AS pull_requests_merged, 0 AS issues_opened, 0 AS issues_closed,
              0 AS releases, 0 AS stars, 0 AS forks
       FROM commits AS c GROUP BY 1, 2
       UNION ALL
       SELECT p.repository_id, (p.created_at AT TIME ZONE 'UTC')::date, 0, count(*), 0, 0, 0, 0, 0, 0
       FROM pull_requests AS p WHERE p.created_at IS NOT NULL GROUP BY 1, 2
       UNION ALL
       SELECT p.repository_id, (p.merged_at AT TIME ZONE 'UTC')::date, 0, 0, count(*), 0, 0, 0, 0, 0
       FROM pull_requests AS p WHERE p.merged_at IS NOT NULL GROUP BY 1, 2
       UNION ALL
       SELECT i.repository_id, (i.created_at AT TIME ZONE 'UTC')::date, 0, 0, 0, count(*), 0, 0, 0, 0
       FROM issues AS i WHERE i.created_at IS NOT NULL GROUP BY 1, 2
       UNION ALL
       SELECT i.repository_id, (i.closed_at AT TIME ZONE 'UTC')::date, 0, 0, 0, 0, count(*), 0, 0, 0
       FROM issues AS i WHERE i.closed_at IS NOT NULL GROUP BY 1, 2
       UNION ALL
       SELECT r.repository_id, (r.published_at AT TIME ZONE 'UTC')::date, 0, 0, 0, 0, 0,
              count(*) FILTER (WHERE r.deleted_at IS NULL), 0, 0
       FROM releases AS r GROUP BY 1, 2
       UNION ALL
       SELECT s.repository_id, (s.starred_at AT TIME ZONE 'UTC')::date, 0, 0, 0, 0, 0, 0,
              count(*) FILTER (WHERE s.unstarred_at IS NULL), 0
       FROM stars AS s GROUP BY 1, 2
       UNION ALL
       SELECT f.repository_id, (f.forked_at AT TIME ZONE 'UTC')::date, 0, 0, 0, 0, 0, 0, 0, count(*)
       FROM forks AS f GROUP BY 1, 2
     ) AS t
     GROUP BY t.repository_id, t.day
     ORDER BY t.repository_id, t.day`,
  );
  return result.rowCount ?? 0;
}

/**
 * Daily snapshots of the counts GitHub reports, as a daily crawl would have stored them over the last
 * year: today's are the repository's counts, each earlier day's the counts less the stars (net of those
 * taken back) and forks of the days after it. Watchers stay as they are; each observation is the day's
 * crawl at 03:00 UTC or so.
 */
export async function buildRepositoryCountsDaily(client: pg.Client, now: Date): Promise<number> {
  const result = await client.query(
    `WITH star_changes AS (
       SELECT s.repository_id, s.day, sum(s.change) AS change
       FROM (SELECT repository_id, (starred_at AT TIME ZONE 'UTC')::date AS day, 1 AS change FROM stars
             UNION ALL
             SELECT repository_id, (unstarred_at AT TIME ZONE 'UTC')::date, -1 FROM stars WHERE unstarred_at IS NOT NULL
            ) AS s
       GROUP BY 1, 2),
     fork_changes AS (
       SELECT repository_id, (forked_at AT TIME ZONE 'UTC')::date AS day, count(*) AS change FROM forks GROUP BY 1, 2),
     grid AS (
       SELECT r.id AS repository_id, d.day::date AS day, r.stars, r.forks, r.watchers
       FROM repositories AS r
       CROSS JOIN LATERAL generate_series(
         greatest(($1::timestamptz AT TIME ZONE 'UTC')::date - ($2::int - 1), (r.repo_created_at AT TIME ZONE 'UTC')::date),
         ($1::timestamptz AT TIME ZONE 'UTC')::date, interval '1 day') AS d (day))
     INSERT INTO repository_counts_daily (repository_id, day, stars, forks, watchers, observed_at)
     SELECT grid.repository_id, grid.day,
            grid.stars - coalesce(sum(coalesce(sc.change, 0)) OVER later, 0),
            grid.forks - coalesce(sum(coalesce(fc.change, 0)) OVER later, 0),
            grid.watchers,
            least($1::timestamptz, (grid.day + time '03:00')::timestamp AT TIME ZONE 'UTC' + random() * interval '40 minutes')
     FROM grid
     LEFT JOIN star_changes AS sc ON sc.repository_id = grid.repository_id AND sc.day = grid.day
     LEFT JOIN fork_changes AS fc ON fc.repository_id = grid.repository_id AND fc.day = grid.day
     WINDOW later AS (PARTITION BY grid.repository_id ORDER BY grid.day DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)`,
    [now, datasetShape.countSnapshotDays],
  );
  return result.rowCount ?? 0;
}
