import type { MetricDefinition } from '../metric-definition.js';
import { known, unknown } from '../metric-definition.js';
import type { RepositoryFacts } from '../repository-facts.js';
import { dayMs, inWindow } from '../repository-facts.js';
import { githubUnavailable } from './github-availability.js';
import { countAt, countObservedBy, countUnknown } from './popularity-counts.js';

const windowDays = 30;

/**
 * The net gain told by the star facts, or null when they cannot tell it. Star facts come from webhooks
 * (from when the webhook was installed) and from crawls of the stargazers; they are taken to cover the
 * window only when they reach back before it, i.e. some star is older than the window's start.
 */
function starsGainedByFacts(facts: RepositoryFacts, now: number): number | null {
  const first = facts.stars[0];
  if (first === undefined || first.starredAt >= now - windowDays * dayMs) return null;
  let gained = 0;
  for (const star of facts.stars) {
    if (inWindow(star.starredAt, now, windowDays)) gained++;
    if (inWindow(star.unstarredAt, now, windowDays)) gained--;
  }
  return gained;
}

/** As for stars; GitHub tells of no deleted fork, so by the facts alone a fork is never subtracted. */
function forksGainedByFacts(facts: RepositoryFacts, now: number): number | null {
  const first = facts.forks[0];
  if (first === undefined || first.forkedAt >= now - windowDays * dayMs) return null;
  return facts.forks.filter((fork) => inWindow(fork.forkedAt, now, windowDays)).length;
}

/**
 * The count at `now` minus the count at the window's start, both as the daily snapshots have them (the
 * count at a time is the snapshot of its UTC day, or the latest before it), so the gain is net of unstars
 * and deleted forks. When no snapshot is as old as the window's start:
 * - a repository created inside the window had 0 then, so the gain is its whole count;
 * - else the star or fork facts, when they reach back before the window, give the gain event by event;
 * - else the gain is unknown (`no_count_history`): counts observed for less than 30 days say nothing of
 *   the gain over 30.
 * A gap in the snapshots (no crawl for days) puts the start at the last observation before it, so the gain
 * then spans that gap too.
 */
function gained(
  count: 'stars' | 'forks',
  gainedByFacts: (facts: RepositoryFacts, now: number) => number | null,
): MetricDefinition {
  return {
    name: `${count}_gained_${windowDays}d`,
    version: 1,
    definition:
      'net change over the window (unstars subtracted): from the daily snapshots of the counts, refined by star/fork facts where known',
    source: 'GitHub',
    compute(facts, now) {
      const unavailable = githubUnavailable(facts);
      if (unavailable) return unavailable;
      const end = countAt(facts, count, now);
      if (end === null) return countUnknown(facts);
      const windowStart = now - windowDays * dayMs;
      const start = countObservedBy(facts, count, windowStart);
      if (start !== null) return known(end - start);
      const createdAt = facts.repository.createdAt;
      if (createdAt !== null && createdAt >= windowStart) return known(end);
      const byFacts = gainedByFacts(facts, now);
      return byFacts === null ? unknown('no_count_history') : known(byFacts);
    },
  };
}

export const starsGained30d = gained('stars', starsGainedByFacts);
export const forksGained30d = gained('forks', forksGainedByFacts);
