import type { MetricDefinition, MetricValue } from '../metric-definition.js';
import { known, unknown } from '../metric-definition.js';
import type { CommitFact, RepositoryFacts } from '../repository-facts.js';
import { wholeDays } from './durations.js';
import { firstIndexAtOrAfter, windowRange } from './window-search.js';

// docs/METRICS.md: "Commit counts are non-merge commits reachable from the default branch, dated by author
// date", so merges are left out everywhere here. Bot commits stay in: bots are never counted as
// contributors or responders, but the commits they author (dependency bumps, formatting) are changes to
// the code all the same. A count is known even for a repository younger than the window: it is the
// count of the commits that exist, and 0 is a true answer for a repository with none.

/** The non-merge commits authored in `[now − days, now)`, visiting each; O(commits in the window). */
function forEachCommitInWindow(
  facts: RepositoryFacts,
  now: number,
  days: number,
  visit: (commit: CommitFact) => void,
): void {
  const { start, end } = windowRange(facts.commits, 'authoredAt', now, days);
  for (let index = start; index < end; index++) {
    const commit = facts.commits[index]!;
    if (!commit.isMerge) visit(commit);
  }
}

function commitCount(days: number): MetricDefinition {
  return {
    name: `commits_${days}d`,
    version: 1,
    definition: 'commits with author date in the window',
    source: 'git',
    compute(facts, now) {
      let count = 0;
      forEachCommitInWindow(facts, now, days, () => count++);
      return known(count);
    },
  };
}

export const commits30d = commitCount(30);
export const commits90d = commitCount(90);
export const commits365d = commitCount(365);

// A merge's numstat (against its first parent) repeats the lines of the commits it merges, so leaving
// merges out, as the counts do, also keeps lines from being counted twice. Binary files arrive as 0.
function linesChanged(name: string, lines: (commit: CommitFact) => number): MetricDefinition {
  return {
    name,
    version: 1,
    definition: 'sum of numstat additions / deletions of those commits (binary files count 0)',
    source: 'git',
    compute(facts, now) {
      let sum = 0;
      forEachCommitInWindow(facts, now, 90, (commit) => (sum += lines(commit)));
      return known(sum);
    },
  };
}

export const linesAdded90d = linesChanged('lines_added_90d', (commit) => commit.additions);
export const linesRemoved90d = linesChanged('lines_removed_90d', (commit) => commit.deletions);

/**
 * The newest non-merge commit authored before `now`. Merges are skipped so that "a commit" means the
 * same as in the counts: `days_since_last_commit` < 30 exactly when `commits_30d` > 0.
 */
function newestCommitBefore(facts: RepositoryFacts, now: number): CommitFact | undefined {
  for (let index = firstIndexAtOrAfter(facts.commits, 'authoredAt', now) - 1; index >= 0; index--) {
    const commit = facts.commits[index]!;
    if (!commit.isMerge) return commit;
  }
  return undefined;
}

export const daysSinceLastCommit: MetricDefinition = {
  name: 'days_since_last_commit',
  version: 1,
  definition: "whole days since the newest commit's author date",
  source: 'git',
  compute(facts, now): MetricValue {
    const newest = newestCommitBefore(facts, now);
    // Not 0 and not "days since creation": with no commit yet the number does not exist.
    return newest ? known(wholeDays(now - newest.authoredAt)) : unknown('no_commits');
  },
};
