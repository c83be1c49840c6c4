import type { Queryable } from '@repopulse/core';
import { lockActivityDays } from './lock-activity-days.js';
import { markMetricsDirty } from './mark-metrics-dirty.js';
import type { TouchedDays } from './touched-days.js';

/**
 * Recomputes the activity rollup for the touched (repository, day) pairs from the facts of those days
 * alone (index range scans), so the rollup stays exact however often a fact is re-sent or changed; then
 * the owners' rollup for the (owner, day) pairs those fall in. The rows are locked first, by a statement
 * of their own (`lockActivityDays`), so the recount's snapshot includes every other writer of those days
 * that committed before it, whether it recounted too or added its differences (`addActivityDeltas`).
 */
export async function refreshActivityDays(transaction: Queryable, touched: TouchedDays): Promise<void> {
  if (touched.size === 0) return;
  await lockActivityDays(transaction, touched);
  const { repositoryIds, days } = touched.toColumns();
  await transaction.query(
    `WITH touched AS (
       SELECT t.repository_id, t.day,
              t.day::timestamp AT TIME ZONE 'UTC' AS day_start,
              (t.day + 1)::timestamp AT TIME ZONE 'UTC' AS day_end
       FROM unnest($1::bigint[], $2::date[]) AS t (repository_id, day)
     )
     INSERT INTO activity_daily AS a (repository_id, day, commits, pull_requests_opened, pull_requests_merged,
       issues_opened, issues_closed, releases, stars, forks)
     SELECT touched.repository_id, touched.day,
       (SELECT count(*) FROM commits c WHERE c.repository_id = touched.repository_id
          AND c.authored_at >= touched.day_start AND c.authored_at < touched.day_end AND NOT c.is_merge),
       (SELECT count(*) FROM pull_requests p WHERE p.repository_id = touched.repository_id
          AND p.created_at >= touched.day_start AND p.created_at < touched.day_end),
       (SELECT count(*) FROM pull_requests p WHERE p.repository_id = touched.repository_id
          AND p.merged_at >= touched.day_start AND p.merged_at < touched.day_end),
       (SELECT count(*) FROM issues i WHERE i.repository_id = touched.repository_id
          AND i.created_at >= touched.day_start AND i.created_at < touched.day_end),
       (SELECT count(*) FROM issues i WHERE i.repository_id = touched.repository_id
          AND i.closed_at >= touched.day_start AND i.closed_at < touched.day_end),
       (SELECT count(*) FROM releases r WHERE r.repository_id = touched.repository_id AND r.deleted_at IS NULL
          AND r.published_at >= touched.day_start AND r.published_at < touched.day_end),
       (SELECT count(*) FROM stars s WHERE s.repository_id = touched.repository_id AND s.unstarred_at IS NULL
          AND s.starred_at >= touched.day_start AND s.starred_at < touched.day_end),
       (SELECT count(*) FROM forks f WHERE f.repository_id = touched.repository_id
          AND f.forked_at >= touched.day_start AND f.forked_at < touched.day_end)
     FROM touched
     ORDER BY touched.repository_id, touched.day
     ON CONFLICT (repository_id, day) DO UPDATE SET
       commits = EXCLUDED.commits,
       pull_requests_opened = EXCLUDED.pull_requests_opened,
       pull_requests_merged = EXCLUDED.pull_requests_merged,
       issues_opened = EXCLUDED.issues_opened,
       issues_closed = EXCLUDED.issues_closed,
       releases = EXCLUDED.releases,
       stars = EXCLUDED.stars,
       forks = EXCLUDED.forks`,
    [repositoryIds, days],
  );
  await refreshOwnerActivityDays(transaction, repositoryIds, days);
  await markMetricsDirty(transaction, repositoryIds, days);
}

/**
 * Re-sums owner_activity_daily for the (owner, day) pairs of the touched repositories from activity_daily:
 * per pair, one probe of its primary key per repository of the owner. Re-summing, not adding a
 * difference, keeps the owner's row exact whatever happened before. The changes other writers appended
 * and no fold has moved yet (`owner_activity_changes`) are already in activity_daily's sum, and readers
 * add them to the row: the row is the sum less those. (A fold that moves them after this re-sum adds them
 * back; one that moved them before it is in its snapshot. Either way the two read as the sum.)
 *
 * Two writers of one owner's day (two repositories of an organisation) would each re-sum from a snapshot
 * that misses the other's uncommitted repository row, and the later write would lose the earlier one's.
 * So the pairs' rows are locked first, in one order, by a statement of their own: the re-sum that follows
 * takes its snapshot once the lock is held, after any earlier holder committed (READ COMMITTED).
 */
async function refreshOwnerActivityDays(
  transaction: Queryable,
  repositoryIds: string[],
  days: string[],
): Promise<void> {
  const locked = await transaction.query<{ host: string; owner_key: string; day: string }>(
    `WITH repositories_touched AS (
       SELECT repositories.id, lower(repositories.host) AS host, lower(repositories.owner) AS owner_key
         FROM repositories WHERE repositories.id = ANY ($1::bigint[])
     )
     INSERT INTO owner_activity_daily AS o (host, owner_key, day)
     SELECT DISTINCT repositories_touched.host, repositories_touched.owner_key, touched.day
       FROM unnest($1::bigint[], $2::date[]) AS touched (repository_id, day)
       JOIN repositories_touched ON repositories_touched.id = touched.repository_id
      ORDER BY 1, 2, 3
     ON CONFLICT (host, owner_key, day) DO UPDATE SET day = EXCLUDED.day
     RETURNING o.host, o.owner_key, to_char(o.day, 'YYYY-MM-DD') AS day`,
    [repositoryIds, days],
  );
  if (locked.rows.length === 0) return;
  await transaction.query(
    `WITH touched AS (
       SELECT t.host, t.owner_key, t.day FROM unnest($1::text[], $2::text[], $3::date[]) AS t (host, owner_key, day)
     ), owners AS (
       SELECT o.host, o.owner_key, owned.repository_ids
         FROM (SELECT DISTINCT touched.host, touched.owner_key FROM touched) AS o
        CROSS JOIN LATERAL (
          SELECT array_agg(repositories.id) AS repository_ids FROM repositories
           WHERE lower(repositories.host) = o.host AND lower(repositories.owner) = o.owner_key
        ) AS owned
     )
     UPDATE owner_activity_daily AS o SET
       commits = sums.commits - sums.pending_commits,
       pull_requests_opened = sums.pull_requests_opened - sums.pending_pull_requests_opened,
       pull_requests_merged = sums.pull_requests_merged - sums.pending_pull_requests_merged,
       issues_opened = sums.issues_opened - sums.pending_issues_opened,
       issues_closed = sums.issues_closed - sums.pending_issues_closed,
       releases = sums.releases - sums.pending_releases,
       stars = sums.stars - sums.pending_stars,
       forks = sums.forks - sums.pending_forks
     FROM (
       SELECT touched.host, touched.owner_key, touched.day, totals.*, pending.*
         FROM touched
         JOIN owners ON owners.host = touched.host AND owners.owner_key = touched.owner_key
        CROSS JOIN LATERAL (
          SELECT coalesce(sum(a.commits), 0)::integer AS commits,
                 coalesce(sum(a.pull_requests_opened), 0)::integer AS pull_requests_opened,
                 coalesce(sum(a.pull_requests_merged), 0)::integer AS pull_requests_merged,
                 coalesce(sum(a.issues_opened), 0)::integer AS issues_opened,
                 coalesce(sum(a.issues_closed), 0)::integer AS issues_closed,
                 coalesce(sum(a.releases), 0)::integer AS releases,
                 coalesce(sum(a.stars), 0)::integer AS stars,
                 coalesce(sum(a.forks), 0)::integer AS forks
            FROM activity_daily AS a
           WHERE a.repository_id = ANY (owners.repository_ids) AND a.day = touched.day
        ) AS totals
        CROSS JOIN LATERAL (
          SELECT coalesce(sum(c.commits), 0)::integer AS pending_commits,
                 coalesce(sum(c.pull_requests_opened), 0)::integer AS pending_pull_requests_opened,
                 coalesce(sum(c.pull_requests_merged), 0)::integer AS pending_pull_requests_merged,
                 coalesce(sum(c.issues_opened), 0)::integer AS pending_issues_opened,
                 coalesce(sum(c.issues_closed), 0)::integer AS pending_issues_closed,
                 coalesce(sum(c.releases), 0)::integer AS pending_releases,
                 coalesce(sum(c.stars), 0)::integer AS pending_stars,
                 coalesce(sum(c.forks), 0)::integer AS pending_forks
            FROM owner_activity_changes AS c
           WHERE c.host = touched.host AND c.owner_key = touched.owner_key AND c.day = touched.day
        ) AS pending
     ) AS sums
     WHERE o.host = sums.host AND o.owner_key = sums.owner_key AND o.day = sums.day`,
    [
      locked.rows.map((row) => row.host),
      locked.rows.map((row) => row.owner_key),
      locked.rows.map((row) => row.day),
    ],
  );
}
