import type { Queryable } from '@repopulse/core';
import { markMetricsDirty } from './mark-metrics-dirty.js';
import { activityIncrements } from './activity-columns.js';
import type { TouchedDays } from './touched-days.js';

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
  const parameters = [
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
  ];
  await transaction.query(
    `INSERT INTO activity_daily AS a (repository_id, day, commits, pull_requests_opened, pull_requests_merged,
       issues_opened, issues_closed, releases, stars, forks)
     SELECT * FROM unnest($1::bigint[], $2::date[], $3::integer[], $4::integer[], $5::integer[], $6::integer[],
       $7::integer[], $8::integer[], $9::integer[], $10::integer[])
     ORDER BY 1, 2
     ON CONFLICT (repository_id, day) DO UPDATE SET ${activityIncrements('a')}`,
    parameters,
  );
  await transaction.query(
    `INSERT INTO owner_activity_changes (host, owner_key, day, commits, pull_requests_opened, pull_requests_merged,
       issues_opened, issues_closed, releases, stars, forks)
     SELECT lower(r.host), lower(r.owner), d.day, sum(d.commits), sum(d.pull_requests_opened),
       sum(d.pull_requests_merged), sum(d.issues_opened), sum(d.issues_closed), sum(d.releases), sum(d.stars),
       sum(d.forks)
       FROM unnest($1::bigint[], $2::date[], $3::integer[], $4::integer[], $5::integer[], $6::integer[],
         $7::integer[], $8::integer[], $9::integer[], $10::integer[])
         AS d (repository_id, day, commits, pull_requests_opened, pull_requests_merged, issues_opened,
           issues_closed, releases, stars, forks)
       JOIN repositories r ON r.id = d.repository_id
      WHERE (d.commits, d.pull_requests_opened, d.pull_requests_merged, d.issues_opened, d.issues_closed,
             d.releases, d.stars, d.forks) <> (0, 0, 0, 0, 0, 0, 0, 0)
      GROUP BY 1, 2, 3`,
    parameters,
  );
  await markMetricsDirty(transaction, repositoryIds, days);
}
