import type { MetricDefinition, MetricValue } from '../metric-definition.js';
import { known, unknown } from '../metric-definition.js';
import type { RepositoryFacts } from '../repository-facts.js';
import { dayMs } from '../repository-facts.js';
import { githubUnavailable } from './github-availability.js';
import { firstIndexAtOrAfter } from './window-search.js';

export type CountName = 'stars' | 'forks' | 'watchers';

const startOfDay = (time: number): number => Math.floor(time / dayMs) * dayMs;

/**
 * The count as last observed on or before `time`'s UTC day: the daily snapshot of that day (the last
 * observation of the day, which is what a point of the daily series, computed at the day's end, should
 * see) or of the latest day before it that observed this count. Null when no snapshot is that old.
 */
export function countObservedBy(facts: RepositoryFacts, count: CountName, time: number): number | null {
  const snapshots = facts.countsDaily;
  for (let index = firstIndexAtOrAfter(snapshots, 'day', startOfDay(time) + dayMs) - 1; index >= 0; index--) {
    const observed = snapshots[index]![count];
    if (observed !== null) return observed;
  }
  return null;
}

/**
 * The count at `now`: from the snapshots, else the repository's current count, but only when no snapshot
 * is later than `now`'s day. The current count is the latest observation, which also wrote that day's
 * snapshot, so it stands for `now` only from then on; a repository observed before the snapshots existed
 * has none, and its current count is then used for every day (the one case where a past point can read
 * a later count).
 */
export function countAt(facts: RepositoryFacts, count: CountName, now: number): number | null {
  const observed = countObservedBy(facts, count, now);
  if (observed !== null) return observed;
  const lastSnapshot = facts.countsDaily.at(-1);
  return lastSnapshot === undefined || lastSnapshot.day <= startOfDay(now) ? facts.repository[count] : null;
}

/** Why the count at `now` is unknown: never observed at all, or only observed after `now`. */
export function countUnknown(facts: RepositoryFacts): MetricValue {
  return unknown(facts.countsDaily.length === 0 ? 'no_github_data' : 'no_count_history');
}

function currentCount(count: CountName): MetricDefinition {
  return {
    name: count,
    version: 1,
    definition: 'current counts',
    source: 'GitHub',
    compute(facts, now) {
      const unavailable = githubUnavailable(facts);
      if (unavailable) return unavailable;
      const value = countAt(facts, count, now);
      return value === null ? countUnknown(facts) : known(value);
    },
  };
}

export const stars = currentCount('stars');
export const forks = currentCount('forks');
export const watchers = currentCount('watchers');
