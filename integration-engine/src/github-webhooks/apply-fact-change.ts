import type { FollowUp, Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';
import { upsertCommit } from '../facts/upsert-commit.js';
import { upsertFork } from '../facts/upsert-fork.js';
import { upsertIssue } from '../facts/upsert-issue.js';
import { upsertPullRequest } from '../facts/upsert-pull-request.js';
import { upsertRelease } from '../facts/upsert-release.js';
import { upsertStar } from '../facts/upsert-star.js';
import type { FactChange } from '../ingest-events/generic-event-to-fact.js';

// The same dispatch as `ingest.events` uses privately; both belong in `src/facts/` once that handler
// imports them from there.

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
