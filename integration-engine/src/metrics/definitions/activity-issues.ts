import type { MetricDefinition } from '../metric-definition.js';
import { known, median, unknown } from '../metric-definition.js';
import type { RepositoryFacts } from '../repository-facts.js';
import { daysRounded } from './durations.js';
import { issueTrackerUnavailable } from './github-availability.js';
import { beforeRange, countInWindow, sortedByTime } from './window-search.js';

// Issues here are never pull requests (the facts keep them apart). `closedAt` is the last close, so a
// reopened issue counts closed once, at its last close, and is open at any `now` before it. Issues opened
// by bots count: docs/METRICS.md keeps bots out of contributors and responders, not out of the tracker.

const windowDays = 90;

const openedInWindow = (facts: RepositoryFacts, now: number): number =>
  countInWindow(facts.issues, 'createdAt', now, windowDays);

const closedInWindow = (facts: RepositoryFacts, now: number): number =>
  countInWindow(sortedByTime(facts.issues, 'closedAt'), 'closedAt', now, windowDays);

export const issuesOpened90d: MetricDefinition = {
  name: 'issues_opened_90d',
  version: 1,
  definition: 'issues (not PRs) created in the window',
  source: 'GitHub',
  compute: (facts, now) => issueTrackerUnavailable(facts) ?? known(openedInWindow(facts, now)),
};

export const issuesClosed90d: MetricDefinition = {
  name: 'issues_closed_90d',
  version: 1,
  definition: 'issues (not PRs) closed in the window; a reopened issue counts closed only by its last close',
  source: 'GitHub',
  compute: (facts, now) => issueTrackerUnavailable(facts) ?? known(closedInWindow(facts, now)),
};

export const issueClosureRatio90d: MetricDefinition = {
  name: 'issue_closure_ratio_90d',
  version: 1,
  definition: 'issues closed ÷ issues opened in the window',
  source: 'GitHub',
  compute(facts, now) {
    const unavailable = issueTrackerUnavailable(facts);
    if (unavailable) return unavailable;
    const opened = openedInWindow(facts, now);
    // As the pull request closure ratio: not capped at 1, and unknown without a denominator.
    return opened === 0 ? unknown('empty_window') : known(closedInWindow(facts, now) / opened);
  },
};

export const openIssueAgeMedianDays: MetricDefinition = {
  name: 'open_issue_age_median_days',
  version: 1,
  definition: 'median age of the issues open now',
  source: 'GitHub',
  compute(facts, now) {
    const unavailable = issueTrackerUnavailable(facts);
    if (unavailable) return unavailable;
    // Open at `now`: created before it and not (last) closed before it; issues of unknown creation date
    // sort last and have no age. Not windowed, so O(issues created before now).
    const { end } = beforeRange(facts.issues, 'createdAt', now);
    const ages: number[] = [];
    for (let index = 0; index < end; index++) {
      const issue = facts.issues[index]!;
      if (issue.closedAt === null || issue.closedAt >= now) ages.push(now - issue.createdAt!);
    }
    const middle = median(ages);
    // No open issue: there is no age to report (a tracker with nothing open is not "0 days old").
    // docs/METRICS.md's reasons have none for "nothing open", so the empty set is `empty_window`.
    // Days with two decimals: an issue opened this morning is 0.25 days old, not 0.
    return middle === undefined ? unknown('empty_window') : known(daysRounded(middle));
  },
};
