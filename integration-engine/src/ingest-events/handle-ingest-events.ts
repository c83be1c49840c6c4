import type { FollowUp, GenericEventBatch, MessageHandler, Queryable, Validator } from '@repopulse/core';
import { refreshActivityDays } from '../activity/refresh-activity-days.js';
import { TouchedDays } from '../activity/touched-days.js';
import { upsertCommit } from '../facts/upsert-commit.js';
import { upsertFork } from '../facts/upsert-fork.js';
import { upsertIssue } from '../facts/upsert-issue.js';
import { upsertPullRequest } from '../facts/upsert-pull-request.js';
import { upsertRelease } from '../facts/upsert-release.js';
import { upsertStar } from '../facts/upsert-star.js';
import { upsertRepository } from '../repositories/upsert-repository.js';
import { genericEventToFact, type FactChange } from './generic-event-to-fact.js';
import { markEventsProcessed } from './mark-events-processed.js';

async function applyFact(
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
 * `ingest.events`: a generic batch becomes facts. The payload is validated again (the queue is not a
 * trust boundary); events the supplier sent before (same source and id) are skipped; the activity days
 * touched are recomputed; each repository touched gets one coalesced `metrics.compute`.
 */
export function createIngestEventsHandler(validateBatch: Validator<GenericEventBatch>): MessageHandler {
  return async ({ envelope, transaction }) => {
    const batch = validateBatch(envelope.payload);
    const fresh = await markEventsProcessed(
      transaction,
      batch.source,
      batch.events.map((event) => event.id),
    );
    const repositoryIds = new Map<string, string>();
    const touched = new TouchedDays();
    // Repositories in a stable order, so concurrent batches lock their rows in the same order.
    const events = batch.events
      .filter((event) => fresh.has(event.id))
      .sort((a, b) => repositoryKey(a.repository).localeCompare(repositoryKey(b.repository)));
    for (const event of events) {
      const key = repositoryKey(event.repository);
      let repositoryId = repositoryIds.get(key);
      if (repositoryId === undefined) {
        repositoryId = await upsertRepository(transaction, event.repository);
        repositoryIds.set(key, repositoryId);
      }
      await applyFact(transaction, repositoryId, genericEventToFact(event), touched);
    }
    await refreshActivityDays(transaction, touched);
    return [...repositoryIds.values()].map((repositoryId): FollowUp => ({
      type: 'metrics.compute',
      payload: { repositoryId },
      coalesceKey: `metrics.compute:${repositoryId}`,
    }));
  };
}

function repositoryKey(repository: { host: string; owner: string; name: string }): string {
  return `${repository.host}/${repository.owner}/${repository.name}`.toLowerCase();
}
