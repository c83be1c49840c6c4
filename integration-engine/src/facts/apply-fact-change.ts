import type { FollowUp, Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';
import { batchUpsertCommits } from './batch-upsert-commits.js';
import { batchUpsertForks } from './batch-upsert-forks.js';
import { batchUpsertIssues } from './batch-upsert-issues.js';
import { batchUpsertPullRequests } from './batch-upsert-pull-requests.js';
import { batchUpsertReleases } from './batch-upsert-releases.js';
import type { RepositoryFact } from './batch-upsert-rounds.js';
import { batchUpsertStars } from './batch-upsert-stars.js';
import type {
  CommitFact,
  ForkFact,
  IssueChange,
  PullRequestChange,
  ReleaseChange,
  StarChange,
} from './fact-types.js';
import { upsertCommit } from './upsert-commit.js';
import { upsertFork } from './upsert-fork.js';
import { upsertIssue } from './upsert-issue.js';
import { upsertPullRequest } from './upsert-pull-request.js';
import { upsertRelease } from './upsert-release.js';
import { upsertStar } from './upsert-star.js';

/** One change to one fact, whatever brought it (generic events, webhooks, crawls). */
export type FactChange =
  | { kind: 'commit'; fact: CommitFact }
  | { kind: 'pull_request'; fact: PullRequestChange }
  | { kind: 'issue'; fact: IssueChange }
  | { kind: 'release'; fact: ReleaseChange }
  | { kind: 'star'; fact: StarChange }
  | { kind: 'fork'; fact: ForkFact };

/** Writes one fact change with its upsert, recording the activity days it touched. */
export async function applyFactChange(
  transaction: Queryable,
  repositoryId: string,
  change: FactChange,
  touched: TouchedDays,
): Promise<void> {
  switch (change.kind) {
    case 'commit':
      return upsertCommit(transaction, repositoryId, change.fact, touched);
    case 'pull_request':
      return upsertPullRequest(transaction, repositoryId, change.fact, touched);
    case 'issue':
      return upsertIssue(transaction, repositoryId, change.fact, touched);
    case 'release':
      return upsertRelease(transaction, repositoryId, change.fact, touched);
    case 'star':
      return upsertStar(transaction, repositoryId, change.fact, touched);
    case 'fork':
      return upsertFork(transaction, repositoryId, change.fact, touched);
  }
}

/**
 * Writes many fact changes with a few set-based statements per fact kind (`batch-upsert-rounds.ts`: one
 * when all facts are new, three when some are stored, again for each time a fact recurs in the batch),
 * leaving the facts and the touched days exactly as `applyFactChange` of each change in turn would:
 * changes of one fact are applied in their order, and changes of different facts never depend on each other.
 */
export async function applyFactChanges(
  transaction: Queryable,
  changes: ReadonlyArray<{ repositoryId: string; change: FactChange }>,
  touched: TouchedDays,
): Promise<void> {
  const commits: Array<RepositoryFact<CommitFact>> = [];
  const pullRequests: Array<RepositoryFact<PullRequestChange>> = [];
  const issues: Array<RepositoryFact<IssueChange>> = [];
  const releases: Array<RepositoryFact<ReleaseChange>> = [];
  const stars: Array<RepositoryFact<StarChange>> = [];
  const forks: Array<RepositoryFact<ForkFact>> = [];
  for (const { repositoryId, change } of changes) {
    if (change.kind === 'commit') commits.push({ repositoryId, fact: change.fact });
    else if (change.kind === 'pull_request') pullRequests.push({ repositoryId, fact: change.fact });
    else if (change.kind === 'issue') issues.push({ repositoryId, fact: change.fact });
    else if (change.kind === 'release') releases.push({ repositoryId, fact: change.fact });
    else if (change.kind === 'star') stars.push({ repositoryId, fact: change.fact });
    else forks.push({ repositoryId, fact: change.fact });
  }
  await batchUpsertCommits(transaction, commits, touched);
  await batchUpsertPullRequests(transaction, pullRequests, touched);
  await batchUpsertIssues(transaction, issues, touched);
  await batchUpsertReleases(transaction, releases, touched);
  await batchUpsertStars(transaction, stars, touched);
  await batchUpsertForks(transaction, forks, touched);
}

/**
 * The one `metrics.compute` for a repository with new facts, coalesced with any still pending for it. Sent
 * after `delayMs`, every follow-up for the repository meanwhile folding into it: a burst of webhooks or a
 * backfill's batches cause one recomputation per delay, not one each.
 */
export function metricsComputeFollowUp(repositoryId: string, delayMs = 0): FollowUp {
  return {
    type: 'metrics.compute',
    payload: { repositoryId },
    coalesceKey: `metrics.compute:${repositoryId}`,
    delayMs,
  };
}
