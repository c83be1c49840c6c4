import type { MessageHandler } from '@repopulse/core';
import { refreshActivityDays } from '../activity/refresh-activity-days.js';
import { TouchedDays } from '../activity/touched-days.js';
import { updateRepositoryMetadata } from '../repositories/update-repository-metadata.js';
import { upsertRepository } from '../repositories/upsert-repository.js';
import { applyFactChange, metricsComputeFollowUp } from '../facts/apply-fact-change.js';
import { readGithubWebhookMessage } from './github-webhook-message.js';
import { githubWebhookToFacts } from './github-webhook-to-facts.js';

/**
 * `ingest.github-webhook`: one delivery becomes facts. A redelivery (same delivery id) never reaches
 * here, the worker's inbox drops it; the same body under another id changes nothing either, since every
 * fact is upserted by its natural key. The activity days touched are recomputed and the repository gets
 * one coalesced `metrics.compute`.
 */
export function createGithubWebhookHandler(metricsComputeDelayMs = 0): MessageHandler {
  return async ({ envelope, transaction, logger }) => {
    const message = readGithubWebhookMessage(envelope.payload);
    const facts = githubWebhookToFacts(message);
    if (facts === undefined) {
      // The gateway only publishes processed event types; one arriving here is a version skew, not a failure.
      logger.warn('webhook event type not processed, dropped', {
        event: message.event,
        deliveryId: message.deliveryId,
      });
      return [];
    }
    const repositoryId = await upsertRepository(transaction, facts.repository);
    await updateRepositoryMetadata(transaction, repositoryId, facts.metadata, message.receivedAt);
    const touched = new TouchedDays();
    for (const change of facts.changes) await applyFactChange(transaction, repositoryId, change, touched);
    await refreshActivityDays(transaction, touched);
    return [metricsComputeFollowUp(repositoryId, metricsComputeDelayMs)];
  };
}
