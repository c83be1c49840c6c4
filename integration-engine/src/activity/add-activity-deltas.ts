import { prepared, type Queryable } from '@repopulse/core';
import { markMetricsDirtyFrom } from './mark-metrics-dirty.js';
import { activityIncrements } from './activity-columns.js';
import type { TouchedDays } from './touched-days.js';

// One statement (the arrays are sent and parsed once), prepared once per connection: the repository rows (a
// touched day gets its row even when its counts did not move, as a recount leaves it), the owners' appended
// sums (only of days that moved) and the dirty marks, from one snapshot.
const addDeltas = prepared(
  `WITH d AS MATERIALIZED (
     SELECT * FROM unnest($1::bigint[], $2::date[], $3::integer[], $4::integer[], $5::integer[], $6::integer[],
       $7::integer[], $8::integer[], $9::integer[], $10::integer[])
       AS d (repository_id, day, commits, pull_requests_opened, pull_requests_merged, issues_opened,
         issues_closed, releases, stars, forks)
   ), moved AS (
     SELECT * FROM d
      WHERE (d.commits, d.pull_requests_opened, d.pull_requests_merged, d.issues_opened, d.issues_closed,
             d.releases, d.stars, d.forks) <> (0, 0, 0, 0, 0, 0, 0, 0)
   ), repository_days AS (
     INSERT INTO activity_daily AS a (repository_id, day, commits, pull_requests_opened, pull_requests_merged,
       issues_opened, issues_closed, releases, stars, forks)
     SELECT * FROM d ORDER BY 1, 2
     ON CONFLICT (repository_id, day) DO UPDATE SET ${activityIncrements('a')}
   ), owner_days AS (
     INSERT INTO owner_activity_changes (host, owner_key, day, commits, pull_requests_opened,
       pull_requests_merged, issues_opened, issues_closed, releases, stars, forks)
     SELECT lower(r.host), lower(r.owner), c.day, sum(c.commits), sum(c.pull_requests_opened),
       sum(c.pull_requests_merged), sum(c.issues_opened), sum(c.issues_closed), sum(c.releases), sum(c.stars),
       sum(c.forks)
       FROM moved c JOIN repositories r ON r.id = c.repository_id
      GROUP BY 1, 2, 3
   )
   ${markMetricsDirtyFrom('d')}`,
);

/**
 * Moves the activity rollups by the net changes a set-based write recorded (`TouchedDays.count`): each
 * touched (repository, day) row of `activity_daily` by its own, and the owners' rollup by appending the
 * sums over each owner's repositories to `owner_activity_changes` (folded in later, read through the
 * `owner_activity` view; appending locks nothing, where the (owner, day) rows that every repository of an
 * organisation shares would make its batches wait for each other). Increments commute, so two writers of
 * one day need no lock-then-recount: each repository row is locked only from its increment to the commit.
 *
 * It stays exact beside the recounting writers (`refreshActivityDays`, which lock a row before they
 * recount it in a statement of their own): an increment that waited for a recount applies on top of a
 * count that did not include its facts (they were not committed), and a recount that waited for an
 * increment counts the facts it committed. Rows are written in key order, as the recount locks them.
 */
export async function addActivityDeltas(transaction: Queryable, touched: TouchedDays): Promise<void> {
  if (touched.size === 0) return;
  const { repositoryIds, days, deltas } = touched.toDeltaColumns();
  await transaction.query(addDeltas, [
    repositoryIds,
    days,
    deltas.commits,
    deltas.pull_requests_opened,
    deltas.pull_requests_merged,
    deltas.issues_opened,
    deltas.issues_closed,
    deltas.releases,
    deltas.stars,
    deltas.forks,
  ]);
}
