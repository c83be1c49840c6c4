import {
  isDataError,
  SchemaViolationError,
  type HandlerContext,
  type MessageHandler,
  type Queryable,
} from '@repopulse/core';
import { refreshActivityDays } from '../activity/refresh-activity-days.js';
import { TouchedDays } from '../activity/touched-days.js';
import { applyFactChange, metricsComputeFollowUp } from '../facts/apply-fact-change.js';
import { recordRejectedEvents, rejectionOf } from '../rejected-events/record-rejected-events.js';
import { updateRepositoryMetadata } from '../repositories/update-repository-metadata.js';
import { upsertRepository } from '../repositories/upsert-repository.js';
import { readGithubWebhookMessage, type GithubWebhookMessage } from './github-webhook-message.js';
import { githubWebhookToFacts, type WebhookFacts } from './github-webhook-to-facts.js';

/**
 * `ingest.github-webhook`: one delivery becomes facts. A redelivery (same delivery id) never reaches
 * here, the worker's inbox drops it; the same body under another id changes nothing either, since every
 * fact is upserted by its natural key. The activity days touched are recomputed and the repository gets
 * one coalesced `metrics.compute`.
 *
 * A delivery is one event: one the engine cannot read (a field missing, out of its bounds — a producer that
 * bypassed the gateway) or PostgreSQL refuses for its data is a row of `rejected_events` with the reason, and
 * the message is acknowledged, instead of failing every retry and ending as a dead letter. PostgreSQL's
 * refusal is taken as final only on the worker's second, `isolating` run, under a savepoint: a refusal
 * caused by a concurrent writer (a unique key taken meanwhile) then succeeds.
 */
export function createGithubWebhookHandler(metricsComputeDelayMs = 0): MessageHandler {
  return async ({ envelope, transaction, logger, isolating }) => {
    let message: GithubWebhookMessage;
    let facts: WebhookFacts | undefined;
    try {
      message = readGithubWebhookMessage(envelope.payload);
      facts = githubWebhookToFacts(message);
    } catch (error) {
      if (!(error instanceof SchemaViolationError)) throw error;
      await reject(transaction, envelope, error, logger);
      return [];
    }
    if (facts === undefined) {
      // The gateway only publishes processed event types; one arriving here is a version skew, not a failure.
      logger.warn('webhook event type not processed, dropped', {
        event: message.event,
        deliveryId: message.deliveryId,
      });
      return [];
    }
    if (!isolating) return [await write(transaction, message, facts, metricsComputeDelayMs)];
    await transaction.query('SAVEPOINT isolate_delivery');
    try {
      const followUp = await write(transaction, message, facts, metricsComputeDelayMs);
      await transaction.query('RELEASE SAVEPOINT isolate_delivery');
      return [followUp];
    } catch (error) {
      if (!isDataError(error)) throw error;
      await transaction.query('ROLLBACK TO SAVEPOINT isolate_delivery');
      await reject(transaction, envelope, error, logger);
      return [];
    }
  };
}

async function write(
  transaction: Queryable,
  message: GithubWebhookMessage,
  facts: WebhookFacts,
  metricsComputeDelayMs: number,
) {
  const repositoryId = await upsertRepository(transaction, facts.repository);
  await updateRepositoryMetadata(transaction, repositoryId, facts.metadata, message.receivedAt);
  const touched = new TouchedDays();
  for (const change of facts.changes) await applyFactChange(transaction, repositoryId, change, touched);
  await refreshActivityDays(transaction, touched);
  return metricsComputeFollowUp(repositoryId, metricsComputeDelayMs);
}

/** The delivery as one rejected event: the whole message, with its delivery id and event type. */
async function reject(
  transaction: Queryable,
  envelope: HandlerContext<unknown>['envelope'],
  error: unknown,
  logger: HandlerContext<unknown>['logger'],
): Promise<void> {
  const payload = (
    typeof envelope.payload === 'object' && envelope.payload !== null ? envelope.payload : {}
  ) as Partial<Record<'event' | 'deliveryId', unknown>>;
  const rejection = rejectionOf(error);
  await recordRejectedEvents(transaction, 'ingest.github-webhook', envelope.id, [
    {
      source: 'github',
      eventId: typeof payload.deliveryId === 'string' ? payload.deliveryId : undefined,
      eventType: typeof payload.event === 'string' ? payload.event : undefined,
      event: envelope.payload,
      ...rejection,
    },
  ]);
  logger.warn('webhook delivery rejected', { reason: rejection.reason.slice(0, 300) });
}
