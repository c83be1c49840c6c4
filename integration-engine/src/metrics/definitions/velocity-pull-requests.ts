import type { MetricDefinition } from '../metric-definition.js';
import { known, median, unknown } from '../metric-definition.js';
import type { PullRequestFact, RepositoryFacts } from '../repository-facts.js';
import { hoursRounded } from './durations.js';
import { githubUnavailable } from './github-availability.js';
import { countInWindow, sortedByTime, windowRange } from './window-search.js';

// Pull requests by bots count like any other: docs/METRICS.md keeps bots out of contributors and responders
// only, and a dependency bump merged or left to rot says as much about velocity as a human's change.
// Only events before `now` exist at `now`: each window is `[now − 90d, now)`, so a merge or close after
// `now` falls outside it and the backfilled series sees that pull request as still open.

const windowDays = 90;

/** The pull requests whose `key` time is in the window, sorted by it. */
function inWindowBy(facts: RepositoryFacts, key: 'mergedAt' | 'closedAt', now: number): PullRequestFact[] {
  const sorted = sortedByTime(facts.pullRequests, key);
  const { start, end } = windowRange(sorted, key, now, windowDays);
  return sorted.slice(start, end);
}

const openedInWindow = (facts: RepositoryFacts, now: number): number =>
  countInWindow(facts.pullRequests, 'createdAt', now, windowDays);

export const pullRequestsOpened90d: MetricDefinition = {
  name: 'pull_requests_opened_90d',
  version: 1,
  definition: 'PRs created in the window',
  source: 'GitHub',
  compute: (facts, now) => githubUnavailable(facts) ?? known(openedInWindow(facts, now)),
};

export const pullRequestsMerged90d: MetricDefinition = {
  name: 'pull_requests_merged_90d',
  version: 1,
  definition: 'PRs merged in the window',
  source: 'GitHub',
  compute: (facts, now) => githubUnavailable(facts) ?? known(inWindowBy(facts, 'mergedAt', now).length),
};

export const prMergeTimeMedianHours90d: MetricDefinition = {
  name: 'pr_merge_time_median_hours_90d',
  version: 1,
  definition: 'median of (merged_at − created_at) over PRs merged in the window',
  source: 'GitHub',
  compute(facts, now) {
    const unavailable = githubUnavailable(facts);
    if (unavailable) return unavailable;
    const durations = inWindowBy(facts, 'mergedAt', now)
      .filter((pullRequest) => pullRequest.createdAt !== null)
      .map((pullRequest) => pullRequest.mergedAt! - pullRequest.createdAt!);
    const middle = median(durations);
    // No merge in the window: there is no time to take the median of, which is not a time of 0 hours.
    return middle === undefined ? unknown('empty_window') : known(hoursRounded(middle));
  },
};

export const changeRequestClosureRatio90d: MetricDefinition = {
  name: 'change_request_closure_ratio_90d',
  version: 1,
  definition: 'PRs closed (merged or not) in the window ÷ PRs opened in the window (CHAOSS)',
  source: 'GitHub',
  compute(facts, now) {
    const unavailable = githubUnavailable(facts);
    if (unavailable) return unavailable;
    const opened = openedInWindow(facts, now);
    // Closed and opened are counted independently (CHAOSS), so the ratio can pass 1 when a backlog is
    // being worked off; it is not capped. With none opened it has no denominator.
    if (opened === 0) return unknown('empty_window');
    return known(inWindowBy(facts, 'closedAt', now).length / opened);
  },
};

export const changeRequestAcceptanceRatio90d: MetricDefinition = {
  name: 'change_request_acceptance_ratio_90d',
  version: 1,
  definition:
    'of PRs closed in the window, merged ÷ (merged + closed without merge) (CHAOSS acceptance ratio)',
  source: 'GitHub',
  compute(facts, now) {
    const unavailable = githubUnavailable(facts);
    if (unavailable) return unavailable;
    const closed = inWindowBy(facts, 'closedAt', now);
    if (closed.length === 0) return unknown('empty_window');
    const merged = closed.filter(
      (pullRequest) => pullRequest.mergedAt !== null && pullRequest.mergedAt < now,
    );
    return known(merged.length / closed.length);
  },
};
