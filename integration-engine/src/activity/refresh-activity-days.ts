import type { Queryable } from '@repopulse/core';
import type { TouchedDays } from './touched-days.js';

/**
 * Recomputes the activity rollup for the touched (repository, day) pairs from the facts of those days
 * alone (index range scans), so the rollup stays exact however often a fact is re-sent or changed.
 */
export async function refreshActivityDays(transaction: Queryable, touched: TouchedDays): Promise<void> {
  if (touched.size === 0) return;
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
}
