import type {
  GenericEventBatch,
  MessageHandler,
  Queryable,
  RepositoryReference,
  Validator,
} from '@repopulse/core';
import { addActivityDeltas } from '../activity/add-activity-deltas.js';
import { TouchedDays } from '../activity/touched-days.js';
import { applyFactChanges, metricsComputeFollowUp } from '../facts/apply-fact-change.js';
import { upsertRepositories } from '../repositories/upsert-repositories.js';
import { genericEventToFact } from './generic-event-to-fact.js';
import { markEventsProcessed } from './mark-events-processed.js';

/**
 * `ingest.events`: a generic batch becomes facts. The payload is validated again (the queue is not a
 * trust boundary); events other than commits the supplier sent before (same source and id) are skipped;
 * the batch's repositories are found or created at once, without locking them, and its facts written a
 * few statements per fact kind (set-based, with the effect of applying the events one by one in order);
 * the activity rollups move by the differences those writes made; each repository touched gets one
 * coalesced `metrics.compute`, sent after `metricsComputeDelayMs`.
 */
export function createIngestEventsHandler(
  validateBatch: Validator<GenericEventBatch>,
  metricsComputeDelayMs = 0,
): MessageHandler {
  return async ({ envelope, transaction }) => {
    const batch = validateBatch(envelope.payload);
    // A commit is named by its sha, which covers its content: writing it again changes nothing, so its sha is
    // its idempotency key. Every other event changes a fact whose fields a replay could set back (a title,
    // a name): those are applied once per supplier id. Commits are most of any import, and the dedup row
    // would cost as much as the fact's own.
    const fresh = await markEventsProcessed(
      transaction,
      batch.source,
      batch.events.filter((event) => event.type !== 'commit').map((event) => event.id),
    );
    const events = batch.events.filter((event) => event.type === 'commit' || fresh.has(event.id));
    const repositoryIds = await repositoryIdsByKey(
      transaction,
      events.map((event) => event.repository),
    );
    const touched = new TouchedDays();
    const changes = events.map((event) => ({
      repositoryId: repositoryIds.get(repositoryKey(event.repository))!,
      change: genericEventToFact(event),
    }));
    await applyFactChanges(transaction, changes, touched);
    await addActivityDeltas(transaction, touched);
    return [...new Set(repositoryIds.values())].map((id) =>
      metricsComputeFollowUp(id, metricsComputeDelayMs),
    );
  };
}

/** The batch's repositories by key, each written once, in key order (so concurrent inserts wait in one order). */
async function repositoryIdsByKey(
  transaction: Queryable,
  references: RepositoryReference[],
): Promise<Map<string, string>> {
  const byKey = new Map<string, RepositoryReference>();
  for (const reference of references) {
    const key = repositoryKey(reference);
    if (!byKey.has(key)) byKey.set(key, reference);
  }
  const keys = [...byKey.keys()].sort();
  const ids = await upsertRepositories(
    transaction,
    keys.map((key) => byKey.get(key)!),
  );
  return new Map(keys.map((key, index) => [key, ids[index]!]));
}

function repositoryKey(repository: RepositoryReference): string {
  return `${repository.host}/${repository.owner}/${repository.name}`.toLowerCase();
}
