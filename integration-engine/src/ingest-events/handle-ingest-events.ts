import type { GenericEvent, GenericEventBatch, MessageHandler, Queryable, Validator } from '@repopulse/core';
import { metricsComputeFollowUp } from '../facts/apply-fact-change.js';
import { recordRejectedEvents, type RejectedEvent } from '../rejected-events/record-rejected-events.js';
import { sortOutEvents } from './sort-out-events.js';
import { storeIsolating } from './store-isolating.js';
import { writeEvents } from './write-events.js';

/**
 * `ingest.events`: a generic batch becomes facts (`write-events.ts`), and each repository touched gets one
 * coalesced `metrics.compute`, sent after `metricsComputeDelayMs`.
 *
 * One bad event never costs its batch: the payload is validated again (the queue is not a trust boundary),
 * and an event its schema refuses — a producer that bypassed the gateway — is set aside
 * (`sort-out-events.ts`); when PostgreSQL refuses the batch's write for its data anyway, the worker runs the
 * message again at once, `isolating`, and the batch is written in parts until the refused events are alone
 * (`store-isolating.ts`). Each event set aside is a row of `rejected_events` with its reason, written with
 * the rest of the batch; the message is then acknowledged like any other.
 */
export function createIngestEventsHandler(
  validateBatch: Validator<GenericEventBatch>,
  metricsComputeDelayMs = 0,
): MessageHandler {
  return async ({ envelope, transaction, logger, isolating }) => {
    const { batch, rejected } = sortOutEvents(envelope.payload, validateBatch);
    let repositoryIds: string[] = [];
    if (batch !== undefined) {
      const written = isolating
        ? await storeIsolating(transaction, batch.source, withPositions(batch.events, rejected))
        : { ...(await writeEvents(transaction, batch.source, batch.events)), rejected: [] };
      repositoryIds = written.repositoryIds;
      rejected.push(...written.rejected);
    }
    if (rejected.length > 0) {
      await recordRejected(transaction, envelope.id, rejected);
      logger.warn('events rejected, the rest of their batch stored', {
        rejected: rejected.length,
        firstReason: rejected[0]!.reason.slice(0, 300),
      });
    }
    return repositoryIds.map((id) => metricsComputeFollowUp(id, metricsComputeDelayMs));
  };
}

function recordRejected(transaction: Queryable, messageId: string, rejected: RejectedEvent[]) {
  return recordRejectedEvents(transaction, 'ingest.events', messageId, rejected);
}

/** The valid events with their index in the batch as sent: the sent ones less those set aside. */
function withPositions(
  events: readonly GenericEvent[],
  setAside: readonly RejectedEvent[],
): Array<{ event: GenericEvent; position: number }> {
  const skipped = new Set(setAside.map((item) => item.position));
  const positioned: Array<{ event: GenericEvent; position: number }> = [];
  let position = 0;
  for (const event of events) {
    while (skipped.has(position)) position++;
    positioned.push({ event, position: position++ });
  }
  return positioned;
}
