import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { activityAndVelocityMetrics } from '../src/metrics/definitions/activity-and-velocity.js';
import {
  commits30d,
  commits365d,
  commits90d,
  daysSinceLastCommit,
  linesAdded90d,
  linesRemoved90d,
} from '../src/metrics/definitions/activity-commits.js';
import {
  issueClosureRatio90d,
  issuesClosed90d,
  issuesOpened90d,
  openIssueAgeMedianDays,
} from '../src/metrics/definitions/activity-issues.js';
import { daysSinceLastRelease, releases365d } from '../src/metrics/definitions/activity-releases.js';
import {
  firstResponseMedianHours90d,
  unansweredShare90d,
} from '../src/metrics/definitions/velocity-first-response.js';
import {
  changeRequestAcceptanceRatio90d,
  changeRequestClosureRatio90d,
  prMergeTimeMedianHours90d,
  pullRequestsMerged90d,
  pullRequestsOpened90d,
} from '../src/metrics/definitions/velocity-pull-requests.js';
import type { MetricDefinition, MetricValue } from '../src/metrics/metric-definition.js';
import type { RepositoryFacts } from '../src/metrics/repository-facts.js';
import { at, factsBuilder, type TestTime } from './support/metric-facts-builder.js';

const compute = (metric: MetricDefinition, facts: RepositoryFacts, now: TestTime): MetricValue =>
  metric.compute(facts, at(now));

/** Asserts each metric's value (a number, or `null:<reason>`) at `now`. */
function assertValues(
  facts: RepositoryFacts,
  now: TestTime,
  expected: Array<[MetricDefinition, number | `null:${string}`]>,
): void {
  const actual = expected.map(([metric]) => {
    const { value, reason } = compute(metric, facts, now);
    return [metric.name, value === null ? `null:${reason}` : value];
  });
  assert.deepEqual(
    actual,
    expected.map(([metric, value]) => [metric.name, value]),
  );
}

// Most tests compute at the end of 2026-03-31 (UTC). Its windows start at:
//   30 days:  2026-03-02T00:00Z  (April 1 − 30 days: March has 31, so March 2)
//   90 days:  2026-01-01T00:00Z  (31 days of January + 28 of February + 31 of March = 90)
//   365 days: 2025-04-01T00:00Z  (2025-04-01 → 2026-04-01 holds no 29 February)
const now = '2026-04-01T00:00:00Z';

describe('activity metrics: commits', () => {
  test('a commit at exactly now − 30 days is in the window and one at exactly now is not', () => {
    const facts = factsBuilder()
      .commit({ authoredAt: '2026-03-01T23:59:59.999Z' }) // 1 ms before the window
      .commit({ authoredAt: '2026-03-02T00:00:00Z' }) // the window's first instant: in
      .commit({ authoredAt: '2026-03-31T23:59:59.999Z' }) // its last instant: in
      .commit({ authoredAt: '2026-04-01T00:00:00Z' }) // now: not yet in the window (half-open)
      .build();
    assertValues(facts, now, [[commits30d, 2]]);
  });

  test('windows are compared in UTC, whatever the offset the commit was authored with', () => {
    // 2026-03-01T01:00+05:00 is 2026-02-28T20:00Z: its local date is March 1 but it is a February commit.
    const facts = factsBuilder().commit({ authoredAt: '2026-03-01T01:00+05:00' }).build();
    // At 2026-03-31T00:00Z the 30-day window starts 2026-03-01T00:00Z, after 2026-02-28T20:00Z: out.
    assertValues(facts, '2026-03-31T00:00:00Z', [
      [commits30d, 0],
      [commits90d, 1],
    ]);
    // At 2026-03-30T20:00Z the window starts exactly at 2026-02-28T20:00Z: in; 1 ms later: out.
    assertValues(facts, '2026-03-30T20:00:00Z', [[commits30d, 1]]);
    assertValues(facts, '2026-03-30T20:00:00.001Z', [[commits30d, 0]]);
  });

  test('merge commits are left out of counts and lines, and bot commits are kept', () => {
    const facts = factsBuilder()
      .commit({ authoredAt: '2026-03-10T00:00:00Z', additions: 10, deletions: 1 })
      .commit({ authoredAt: '2026-03-11T00:00:00Z', additions: 20, deletions: 2, person: 'login:grace' })
      .commit({
        authoredAt: '2026-03-12T00:00:00Z',
        additions: 5,
        deletions: 3,
        person: 'login:dependabot[bot]',
        isBot: true,
      })
      .commit({ authoredAt: '2026-03-13T00:00:00Z', additions: 100, deletions: 50, isMerge: true })
      .commit({ authoredAt: '2026-03-14T00:00:00Z', additions: 0, deletions: 0, isMerge: true })
      // A binary file arrives from numstat as 0 lines.
      .commit({ authoredAt: '2026-03-15T00:00:00Z', additions: 0, deletions: 0 })
      .build();
    // Non-merge: 03-10, 03-11, 03-12 (bot), 03-15 = 4. Added 10 + 20 + 5 + 0 = 35; removed 1 + 2 + 3 + 0 = 6.
    assertValues(facts, now, [
      [commits30d, 4],
      [linesAdded90d, 35],
      [linesRemoved90d, 6],
    ]);
  });

  test('each commit window counts only its own days', () => {
    const facts = factsBuilder()
      .commit({ authoredAt: '2025-03-31T23:00:00Z' }) // before every window
      .commit({ authoredAt: '2025-04-01T00:00:00Z' }) // first instant of 365 days
      .commit({ authoredAt: '2025-12-31T23:59:59Z' }) // 365 only
      .commit({ authoredAt: '2026-01-01T00:00:00Z', additions: 7 }) // first instant of 90 days
      .commit({ authoredAt: '2026-02-15T00:00:00Z', additions: 3 }) // 90 and 365
      .commit({ authoredAt: '2026-03-20T00:00:00Z', additions: 1 }) // all three
      .commit({ authoredAt: '2026-04-02T00:00:00Z', additions: 1000 }) // after now: not yet
      .build();
    // 30d: 03-20 = 1. 90d: 01-01, 02-15, 03-20 = 3 (added 7 + 3 + 1 = 11). 365d: those 3 + 04-01, 12-31 = 5.
    assertValues(facts, now, [
      [commits30d, 1],
      [commits90d, 3],
      [commits365d, 5],
      [linesAdded90d, 11],
    ]);
  });

  test('a repository younger than the window has a known count of the commits it has', () => {
    const facts = factsBuilder()
      .repository({ createdAt: '2026-03-22T00:00:00Z' })
      .commit({ authoredAt: '2026-03-22T00:00:00Z' })
      .commit({ authoredAt: '2026-03-25T00:00:00Z' })
      .commit({ authoredAt: '2026-03-28T00:00:00Z' })
      .build();
    assertValues(facts, now, [
      [commits30d, 3],
      [commits90d, 3],
      [commits365d, 3],
    ]);
  });

  test('days since the last commit are whole days from the newest non-merge commit authored before now', () => {
    const facts = factsBuilder()
      .commit({ authoredAt: '2026-03-01T00:00:00Z' })
      .commit({ authoredAt: '2026-03-20T06:00:00Z' })
      .commit({ authoredAt: '2026-03-31T00:00:00Z', isMerge: true }) // a merge is not "a commit" here
      .commit({ authoredAt: '2026-04-01T00:00:00Z' }) // at now: not yet authored
      .build();
    // 2026-03-20T06:00Z → 2026-04-01T00:00Z = 11 days 18 hours → 11 (floor).
    assertValues(facts, now, [[daysSinceLastCommit, 11]]);
    // 23 h 59 min after the newest commit is still 0 days; 24 h later it is 1.
    assertValues(facts, '2026-03-21T05:59:00Z', [[daysSinceLastCommit, 0]]);
    assertValues(facts, '2026-03-21T06:00:00Z', [[daysSinceLastCommit, 1]]);
    // Backfill: at 2026-03-15T00:00Z the newest is 2026-03-01 → 14 days.
    assertValues(facts, '2026-03-15T00:00:00Z', [[daysSinceLastCommit, 14]]);
  });

  test('days since the last commit are unknown, not 0, when there is no commit before now', () => {
    assertValues(factsBuilder().build(), now, [
      [daysSinceLastCommit, 'null:no_commits'],
      [commits30d, 0],
      [linesAdded90d, 0],
    ]);
    const onlyLater = factsBuilder().commit({ authoredAt: '2026-05-01T00:00:00Z' }).build();
    const onlyMerges = factsBuilder().commit({ authoredAt: '2026-03-01T00:00:00Z', isMerge: true }).build();
    assertValues(onlyLater, now, [[daysSinceLastCommit, 'null:no_commits']]);
    assertValues(onlyMerges, now, [[daysSinceLastCommit, 'null:no_commits']]);
  });
});

describe('velocity metrics: pull requests', () => {
  const pullRequests = () =>
    factsBuilder()
      // Created before the window, merged inside it: 2025-12-01 → 2026-01-10 = 40 days = 960 h.
      .pullRequest({ createdAt: '2025-12-01T00:00:00Z', mergedAt: '2026-01-10T00:00:00Z' })
      // Merged after 10 h.
      .pullRequest({ createdAt: '2026-02-01T00:00:00Z', mergedAt: '2026-02-01T10:00:00Z' })
      // Closed without merge.
      .pullRequest({ createdAt: '2026-03-01T00:00:00Z', closedAt: '2026-03-05T00:00:00Z' })
      // Still open.
      .pullRequest({ createdAt: '2026-03-10T00:00:00Z' })
      // A bot's pull request, merged after 2.5 h: a pull request like any other.
      .pullRequest({
        createdAt: '2026-03-20T00:00:00Z',
        mergedAt: '2026-03-20T02:30:00Z',
        author: 'login:dependabot[bot]',
        authorIsBot: true,
      })
      // Merged after now: open at now.
      .pullRequest({ createdAt: '2026-03-25T00:00:00Z', mergedAt: '2026-04-02T00:00:00Z' })
      .build();

  test('counts, merge time and ratios over the 90 days before now', () => {
    // Opened 2026-01-01..now: 02-01, 03-01, 03-10, 03-20 (bot), 03-25 = 5.
    // Merged in the window: 01-10, 02-01, 03-20 = 3 (the 04-02 merge has not happened yet).
    // Merge times 960 h, 10 h, 2.5 h → median 10.
    // Closed (merged or not) in the window: 01-10, 02-01, 03-05, 03-20 = 4 → closure 4 ÷ 5 = 0.8.
    // Acceptance: merged 3 ÷ (3 merged + 1 closed unmerged) = 0.75.
    assertValues(pullRequests(), now, [
      [pullRequestsOpened90d, 5],
      [pullRequestsMerged90d, 3],
      [prMergeTimeMedianHours90d, 10],
      [changeRequestClosureRatio90d, 0.8],
      [changeRequestAcceptanceRatio90d, 0.75],
    ]);
  });

  test('computed at an earlier time, later merges and closes have not happened', () => {
    // At 2026-03-20T01:00Z the window is [2025-12-20T01:00Z, 2026-03-20T01:00Z): the 2025-12-01 pull
    // request was created before it; the bot's (created 00:00) is open, its merge at 02:30 still ahead.
    // Opened: 02-01, 03-01, 03-10, 03-20 = 4. Merged: 01-10, 02-01 = 2; median of 960 h and 10 h = 485.
    // Closed: 01-10, 02-01, 03-05 = 3 → closure 3 ÷ 4 = 0.75; acceptance 2 ÷ (2 + 1).
    assertValues(pullRequests(), '2026-03-20T01:00:00Z', [
      [pullRequestsOpened90d, 4],
      [pullRequestsMerged90d, 2],
      [prMergeTimeMedianHours90d, 485],
      [changeRequestClosureRatio90d, 0.75],
      [changeRequestAcceptanceRatio90d, 2 / 3],
    ]);
  });

  test('merge time is rounded to two decimals of an hour', () => {
    // 20 minutes = 0.333… h → 0.33.
    const facts = factsBuilder()
      .pullRequest({ createdAt: '2026-03-01T00:00:00Z', mergedAt: '2026-03-01T00:20:00Z' })
      .build();
    assertValues(facts, now, [[prMergeTimeMedianHours90d, 0.33]]);
  });

  test('a window with no pull requests has counts of 0 and unknown medians and ratios', () => {
    const facts = factsBuilder()
      .pullRequest({ createdAt: '2025-06-01T00:00:00Z', mergedAt: '2025-06-02T00:00:00Z' })
      .build();
    assertValues(facts, now, [
      [pullRequestsOpened90d, 0],
      [pullRequestsMerged90d, 0],
      [prMergeTimeMedianHours90d, 'null:empty_window'],
      [changeRequestClosureRatio90d, 'null:empty_window'],
      [changeRequestAcceptanceRatio90d, 'null:empty_window'],
    ]);
  });

  test('the closure ratio passes 1 when more are closed than opened', () => {
    // Opened in the window: 1 (03-01). Closed in it: the two old ones + none of the new = 2 → 2 ÷ 1 = 2.
    const facts = factsBuilder()
      .pullRequest({ createdAt: '2025-10-01T00:00:00Z', closedAt: '2026-02-01T00:00:00Z' })
      .pullRequest({ createdAt: '2025-11-01T00:00:00Z', mergedAt: '2026-02-02T00:00:00Z' })
      .pullRequest({ createdAt: '2026-03-01T00:00:00Z' })
      .build();
    assertValues(facts, now, [
      [changeRequestClosureRatio90d, 2],
      [changeRequestAcceptanceRatio90d, 0.5],
    ]);
  });
});

describe('activity metrics: issues', () => {
  const issues = () =>
    factsBuilder()
      // Closed in the window. It had been closed on 2025-11-05 and reopened; closedAt is its last close.
      .issue({ createdAt: '2025-11-01T00:00:00Z', closedAt: '2026-01-15T00:00:00Z' })
      .issue({ createdAt: '2026-01-05T00:00:00Z', closedAt: '2026-02-01T00:00:00Z' })
      // Opened by a bot, still open: an issue all the same.
      .issue({ createdAt: '2026-02-10T00:00:00Z', author: 'login:renovate[bot]', authorIsBot: true })
      // Closed 2026-03-05, reopened, closed again 2026-04-10: open at now, and not closed in the window.
      .issue({ createdAt: '2026-03-01T12:00:00Z', closedAt: '2026-04-10T00:00:00Z' })
      .issue({ createdAt: '2025-06-01T00:00:00Z' }) // long open
      .issue({ createdAt: '2025-10-01T00:00:00Z', closedAt: '2025-12-15T00:00:00Z' }) // closed before
      .build();

  test('opened, closed (by the last close), closure ratio and the median age of the open ones', () => {
    // Opened since 2026-01-01: 01-05, 02-10 (bot), 03-01 = 3. Closed since: 01-15, 02-01 = 2 → 2 ÷ 3.
    // Open at now: 02-10 (50 days: 18 left of February + 31 of March), 03-01T12:00 (30.5 days) and
    // 2025-06-01 (304 days: 30+31+31+30+31+30+31+31+28+31). Median of 30.5, 50, 304 = 50.
    assertValues(issues(), now, [
      [issuesOpened90d, 3],
      [issuesClosed90d, 2],
      [issueClosureRatio90d, 2 / 3],
      [openIssueAgeMedianDays, 50],
    ]);
  });

  test('computed at an earlier time, issues closed later are open', () => {
    // At 2026-02-01T00:00Z the window is [2025-11-03, 2026-02-01). Opened: 01-05 = 1 (11-01 is before
    // it). Closed: 12-15, 01-15 = 2; the close at exactly 2026-02-01 is not yet (half-open) → 2 ÷ 1 = 2.
    // Open then: 01-05 (27 days) and 2025-06-01 (304 − 31 − 28 = 245 days); 02-10 and 03-01 not created.
    // Median (27 + 245) ÷ 2 = 136.
    assertValues(issues(), '2026-02-01T00:00:00Z', [
      [issuesOpened90d, 1],
      [issuesClosed90d, 2],
      [issueClosureRatio90d, 2],
      [openIssueAgeMedianDays, 136],
    ]);
  });

  test('the open issue age is in days with two decimals', () => {
    // 8 hours = 0.333… days and 2 days: median 1.1666… → 1.17.
    const facts = factsBuilder()
      .issue({ createdAt: '2026-03-30T00:00:00Z' })
      .issue({ createdAt: '2026-03-31T16:00:00Z' })
      .build();
    assertValues(facts, now, [[openIssueAgeMedianDays, 1.17]]);
  });

  test('no issue opened or open gives counts of 0 and unknown ratio and age', () => {
    const facts = factsBuilder()
      .issue({ createdAt: '2025-01-01T00:00:00Z', closedAt: '2025-02-01T00:00:00Z' })
      .build();
    assertValues(facts, now, [
      [issuesOpened90d, 0],
      [issuesClosed90d, 0],
      [issueClosureRatio90d, 'null:empty_window'],
      [openIssueAgeMedianDays, 'null:empty_window'],
    ]);
  });

  test('a repository without an issue tracker has unknown issue metrics but known pull request ones', () => {
    const facts = factsBuilder()
      .repository({ hasIssues: false })
      .pullRequest({ createdAt: '2026-03-01T00:00:00Z', firstResponseAt: '2026-03-01T03:00:00Z' })
      .build();
    assertValues(facts, now, [
      [issuesOpened90d, 'null:no_issue_tracker'],
      [issuesClosed90d, 'null:no_issue_tracker'],
      [issueClosureRatio90d, 'null:no_issue_tracker'],
      [openIssueAgeMedianDays, 'null:no_issue_tracker'],
      [pullRequestsOpened90d, 1],
      [firstResponseMedianHours90d, 3],
      [unansweredShare90d, 0],
    ]);
  });
});

describe('velocity metrics: first response', () => {
  const conversations = () =>
    factsBuilder()
      .issue({ createdAt: '2026-03-01T00:00:00Z', firstResponseAt: '2026-03-01T04:00:00Z' }) // 4 h
      // A bot's issue answered by a human after 24 h: it counts (only bot responders are left out).
      .issue({
        createdAt: '2026-03-02T00:00:00Z',
        firstResponseAt: '2026-03-03T00:00:00Z',
        author: 'login:renovate[bot]',
        authorIsBot: true,
      })
      .issue({ createdAt: '2026-03-10T00:00:00Z' }) // unanswered
      .issue({ createdAt: '2025-12-01T00:00:00Z', firstResponseAt: '2026-01-05T00:00:00Z' }) // opened before
      .pullRequest({ createdAt: '2026-03-05T00:00:00Z', firstResponseAt: '2026-03-05T01:30:00Z' }) // 1.5 h
      .pullRequest({ createdAt: '2026-03-20T00:00:00Z', firstResponseAt: '2026-04-03T00:00:00Z' }) // after now
      // A bot's pull request nobody answered (a bot's own comments were never recorded as responses).
      .pullRequest({ createdAt: '2026-03-25T00:00:00Z', author: 'login:dependabot[bot]', authorIsBot: true })
      .build();

  test('median first response and unanswered share over the issues and pull requests opened in the window', () => {
    // Opened since 2026-01-01: 3 issues (03-01, 03-02, 03-10) + 3 pull requests = 6.
    // Answered before now: 4 h, 24 h, 1.5 h → median 4. Unanswered: 03-10, the 04-03 response, the bot's
    // pull request = 3 ÷ 6 = 0.5.
    assertValues(conversations(), now, [
      [firstResponseMedianHours90d, 4],
      [unansweredShare90d, 0.5],
    ]);
  });

  test('computed at an earlier time, later responses have not happened', () => {
    // At 2026-03-05T01:00Z: opened in the window: issues 03-01, 03-02 and the pull request 03-05T00:00 = 3.
    // Answered: 4 h and 24 h (the 03-03 response is before then); the pull request's 01:30 response is
    // ahead → median (4 + 24) ÷ 2 = 14, unanswered 1 ÷ 3.
    assertValues(conversations(), '2026-03-05T01:00:00Z', [
      [firstResponseMedianHours90d, 14],
      [unansweredShare90d, 1 / 3],
    ]);
    // A response at exactly now has not happened yet either: at 01:30 the pull request is still unanswered.
    assertValues(conversations(), '2026-03-05T01:30:00Z', [[unansweredShare90d, 1 / 3]]);
    // 1 ms later it has: median of 1.5, 4, 24 = 4, and nothing is unanswered.
    assertValues(conversations(), '2026-03-05T01:30:00.001Z', [
      [firstResponseMedianHours90d, 4],
      [unansweredShare90d, 0],
    ]);
  });

  test('items opened but none answered have no median (no_responses) and an unanswered share of 1', () => {
    const facts = factsBuilder()
      .issue({ createdAt: '2026-03-01T00:00:00Z' })
      .pullRequest({ createdAt: '2026-03-02T00:00:00Z' })
      .build();
    assertValues(facts, now, [
      [firstResponseMedianHours90d, 'null:no_responses'],
      [unansweredShare90d, 1],
    ]);
  });

  test('nothing opened in the window gives empty_window for both', () => {
    const facts = factsBuilder()
      .issue({ createdAt: '2025-01-01T00:00:00Z', firstResponseAt: '2025-01-02T00:00:00Z' })
      .build();
    assertValues(facts, now, [
      [firstResponseMedianHours90d, 'null:empty_window'],
      [unansweredShare90d, 'null:empty_window'],
    ]);
  });
});

describe('activity metrics: releases', () => {
  const releases = () =>
    factsBuilder()
      .release({ publishedAt: '2025-03-01T00:00:00Z' })
      .release({ publishedAt: '2025-09-15T00:00:00Z' })
      .release({ publishedAt: '2026-03-31T12:00:00Z' })
      .build();

  test('releases in the last 365 days and whole days since the newest one before now', () => {
    // Since 2025-04-01: 2025-09-15 and 2026-03-31 = 2. The newest was 12 h ago → 0 days.
    assertValues(releases(), now, [
      [releases365d, 2],
      [daysSinceLastRelease, 0],
    ]);
    // At 2026-03-31T00:00Z the 03-31T12:00 release is ahead. Since 2025-03-31: 2025-09-15 = 1.
    // 2025-09-15 → 2026-03-31: 16 + 31 + 30 + 31 + 31 + 28 + 30 = 197 days.
    assertValues(releases(), '2026-03-31T00:00:00Z', [
      [releases365d, 1],
      [daysSinceLastRelease, 197],
    ]);
  });

  test('a repository that never released has 0 releases and no days since one', () => {
    assertValues(factsBuilder().build(), now, [
      [releases365d, 0],
      [daysSinceLastRelease, 'null:no_releases'],
    ]);
  });
});

describe('activity and velocity metrics of a plain git repository', () => {
  test('git metrics and releases (version tags) are known and the GitHub ones are no_github_data', () => {
    const facts = factsBuilder()
      .repository({ onGithub: false, hasIssues: null })
      .commit({ authoredAt: '2026-03-30T00:00:00Z', additions: 4 })
      .release({ publishedAt: '2026-03-29T00:00:00Z', tag: 'v1.0.0' })
      .build();
    assertValues(facts, now, [
      [commits30d, 1],
      [linesAdded90d, 4],
      [daysSinceLastCommit, 2],
      [releases365d, 1],
      [daysSinceLastRelease, 3],
    ]);
    const github = activityAndVelocityMetrics.filter((metric) => metric.source === 'GitHub');
    assert.equal(github.length, 11);
    for (const metric of github)
      assert.deepEqual(compute(metric, facts, now), { value: null, reason: 'no_github_data' });
  });
});

describe('the activity and velocity list', () => {
  test("holds docs/METRICS.md's metrics in its order, each with a version", () => {
    assert.deepEqual(
      activityAndVelocityMetrics.map((metric) => metric.name),
      [
        'commits_30d',
        'commits_90d',
        'commits_365d',
        'lines_added_90d',
        'lines_removed_90d',
        'days_since_last_commit',
        'pull_requests_opened_90d',
        'pull_requests_merged_90d',
        'pr_merge_time_median_hours_90d',
        'change_request_closure_ratio_90d',
        'issues_opened_90d',
        'issues_closed_90d',
        'issue_closure_ratio_90d',
        'first_response_median_hours_90d',
        'unanswered_share_90d',
        'change_request_acceptance_ratio_90d',
        'open_issue_age_median_days',
        'releases_365d',
        'days_since_last_release',
      ],
    );
    for (const metric of activityAndVelocityMetrics)
      assert.ok(metric.version >= 1 && metric.definition.length > 0);
  });
});
