import type { MetricDefinition } from '../metric-definition.js';
import { known, unknown } from '../metric-definition.js';
import type { IssueFact, RepositoryFacts } from '../repository-facts.js';
import { dayMs, inWindow } from '../repository-facts.js';
import { githubUnavailable } from './github-availability.js';
import { countInWindow, sortedByTime, windowRange } from './window-search.js';

// OpenSSF Scorecard's Maintained check as its code computes it (checks/evaluation/maintained.go and the
// probes commitsInLast90Days, issueActivityByProjectMember, notArchived, notCreatedInLast90Days):
//   archived → 0; created after now − 90 days → 0;
//   else min(10, ⌊10·(C + I) / ⌊1·90/7⌋⌋) = min(10, ⌊10·(C + I) / 12⌋)
// where C counts the default branch's last 30 commits (GraphQL `history(first: 30)`) committed in the last
// 90 days, and I the 30 most recently updated issues opened or commented on in the last 90 days by an
// OWNER, MEMBER or COLLABORATOR. Scorecard's threshold is `After(now − 90d)`; here the window is
// docs/METRICS.md's `[now − 90d, now)`, which differs only for a time exactly on the edge.
const lookBackDays = 90;
const commitsScorecardReads = 30;
const issuesScorecardReads = 30;
const expectedActivity = Math.floor((1 * lookBackDays) / 7); // one a week, in Go's integer division: 12
const collaboratorOrAbove = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/**
 * C: Scorecard reads all commits of the history, merges and bots included, by committer date; its last
 * 30 committed in the window are the commits committed in the window, at most 30. A commit without a
 * committer date is dated by its author date.
 */
function recentCommits(facts: RepositoryFacts, now: number): number {
  let count = countInWindow(sortedByTime(facts.commits, 'committedAt'), 'committedAt', now, lookBackDays);
  const { start, end } = windowRange(facts.commits, 'authoredAt', now, lookBackDays);
  for (let index = start; index < end; index++) if (facts.commits[index]!.committedAt === null) count++;
  return Math.min(commitsScorecardReads, count);
}

/**
 * An issue's last update as it was at `now`, for the daily series computed at past times: the stored
 * `updatedAt` when it is before `now`, else the latest of the times known before `now` (opened, first
 * response, closed), since a later update had not happened then. Null for an issue not yet opened.
 */
function updatedAsOf(issue: IssueFact, now: number): number | null {
  if (issue.createdAt === null || issue.createdAt >= now) return null;
  if (issue.updatedAt !== null && issue.updatedAt < now) return issue.updatedAt;
  let latest = issue.createdAt;
  for (const time of [issue.firstResponseAt, issue.closedAt])
    if (time !== null && time < now && time > latest) latest = time;
  return latest;
}

/** The 30 issues updated last as of `now` (GraphQL `issues(first: 30, orderBy: UPDATED_AT DESC)`). */
function mostRecentlyUpdatedIssues(facts: RepositoryFacts, now: number): IssueFact[] {
  // A bounded selection rather than a sort of every issue: this runs for each day of the series.
  const latest: Array<{ issue: IssueFact; updatedAt: number }> = [];
  const newerFirst = (a: { issue: IssueFact; updatedAt: number }, b: typeof a) =>
    b.updatedAt - a.updatedAt || b.issue.number - a.issue.number;
  for (const issue of facts.issues) {
    const updatedAt = updatedAsOf(issue, now);
    if (updatedAt === null) continue;
    const candidate = { issue, updatedAt };
    if (latest.length < issuesScorecardReads) latest.push(candidate);
    else if (newerFirst(candidate, latest[issuesScorecardReads - 1]!) < 0)
      latest[issuesScorecardReads - 1] = candidate;
    else continue;
    latest.sort(newerFirst);
  }
  return latest.map(({ issue }) => issue);
}

/**
 * I: Scorecard asks whether the issue was opened by a collaborator or above in the window, or has a
 * comment by one in the window. The facts hold the author's association but no comment authors, only when
 * the issue was first answered by someone other than its author who is not a bot (a comment or a close),
 * so "commented on by a collaborator or above" is approximated by that first response falling in the
 * window: it counts an answer by any person (an over-count where outsiders answer) and misses later
 * comments when the first answer came before the window (an under-count on long discussions).
 */
function recentIssueActivity(facts: RepositoryFacts, now: number): number {
  let count = 0;
  for (const issue of mostRecentlyUpdatedIssues(facts, now)) {
    const openedByMember =
      collaboratorOrAbove.has(issue.authorAssociation ?? '') && inWindow(issue.createdAt, now, lookBackDays);
    if (openedByMember || inWindow(issue.firstResponseAt, now, lookBackDays)) count++;
  }
  return count;
}

export const scorecardMaintained: MetricDefinition = {
  name: 'scorecard_maintained',
  version: 1,
  definition:
    'OpenSSF Scorecard "Maintained", exactly: archived → 0; created < 90 days ago → 0; else min(10, ⌊10·(C+I)/12⌋), C = commits of the last 30 on the default branch committed in the last 90 days, I = of the 30 most recently updated issues, those opened or commented on in the last 90 days by a collaborator or above',
  source: 'GitHub',
  compute(facts, now) {
    const unavailable = githubUnavailable(facts);
    if (unavailable) return unavailable;
    // Archived is the repository's state now: the facts keep no archiving date, so past points of the
    // series of an archived repository read 0 too.
    if (facts.repository.archived) return known(0);
    const createdAt = facts.repository.createdAt;
    if (createdAt === null) return unknown('unknown_creation_date');
    if (createdAt > now - lookBackDays * dayMs) return known(0);
    const activity = recentCommits(facts, now) + recentIssueActivity(facts, now);
    return known(Math.min(10, Math.floor((10 * activity) / expectedActivity)));
  },
};
