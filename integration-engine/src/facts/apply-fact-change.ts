import type { FollowUp, Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';
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

/** The one `metrics.compute` for a repository with new facts, coalesced with any still pending for it. */
export function metricsComputeFollowUp(repositoryId: string): FollowUp {
  return {
    type: 'metrics.compute',
    payload: { repositoryId },
    coalesceKey: `metrics.compute:${repositoryId}`,
  };
}
