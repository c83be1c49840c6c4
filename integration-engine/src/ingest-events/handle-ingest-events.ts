import type { GenericEventBatch, MessageHandler, Validator } from '@repopulse/core';
import { refreshActivityDays } from '../activity/refresh-activity-days.js';
import { applyFactChange, metricsComputeFollowUp } from '../facts/apply-fact-change.js';
import { TouchedDays } from '../activity/touched-days.js';
import { upsertRepository } from '../repositories/upsert-repository.js';
import { genericEventToFact } from './generic-event-to-fact.js';
import { markEventsProcessed } from './mark-events-processed.js';

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
      await applyFactChange(transaction, repositoryId, genericEventToFact(event), touched);
    }
    await refreshActivityDays(transaction, touched);
    return [...repositoryIds.values()].map(metricsComputeFollowUp);
  };
}

function repositoryKey(repository: { host: string; owner: string; name: string }): string {
  return `${repository.host}/${repository.owner}/${repository.name}`.toLowerCase();
}
