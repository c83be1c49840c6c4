import {
  SchemaViolationError,
  type GenericEvent,
  type GenericEventBatch,
  type SchemaViolation,
  type Validator,
} from '@repopulse/core';
import { rejectionOf, type RejectedEvent } from '../rejected-events/record-rejected-events.js';

export interface SortedBatch {
  /** The batch with its valid events, in their order; undefined when the message is no batch at all. */
  batch?: GenericEventBatch;
  rejected: RejectedEvent[];
}

type Payload = { source?: unknown; events?: unknown };

const eventPath = /^\/events\/\d+(?=\/|$)/;

/**
 * The batch's events its schema accepts, and a rejection for each one it refuses, checked with the same
 * validator (one schema for the gateway and the engine). The whole batch is checked first: a valid one —
 * every batch the gateway accepted — costs nothing more. Otherwise each event is checked alone, as a batch of
 * one with the batch's source, its violations named by its path in the batch. A problem of the batch itself
 * (its source, no list of events, too many) rejects the message whole.
 */
export function sortOutEvents(payload: unknown, validateBatch: Validator<GenericEventBatch>): SortedBatch {
  let refusal: SchemaViolationError;
  try {
    return { batch: validateBatch(payload), rejected: [] };
  } catch (error) {
    if (!(error instanceof SchemaViolationError)) throw error;
    refusal = error;
  }
  // ajv reports the batch's own keywords before its events': a problem of the batch is among the first listed.
  const events = (payload as Payload | null)?.events;
  if (!Array.isArray(events) || refusal.violations.some((violation) => !eventPath.test(violation.path)))
    return { rejected: [wholeMessage(payload, refusal)] };
  const source = (payload as Payload).source as string;
  const valid: GenericEvent[] = [];
  const rejected: RejectedEvent[] = [];
  events.forEach((event: unknown, position) => {
    try {
      valid.push(validateBatch({ source, events: [event] }).events[0]!);
    } catch (error) {
      if (!(error instanceof SchemaViolationError)) throw error;
      rejected.push(rejectedEvent(source, event, position, inBatch(error, position)));
    }
  });
  if (valid.length === 0) return { rejected };
  return { batch: { source, events: valid }, rejected };
}

/** The violations of a batch of one as paths in the whole batch (`/events/0/…` → `/events/7/…`). */
function inBatch(error: SchemaViolationError, position: number): SchemaViolationError {
  const violations: SchemaViolation[] = error.violations.map((violation) => ({
    ...violation,
    path: violation.path.replace(/^\/events\/0(?=\/|$)/, `/events/${position}`),
  }));
  return new SchemaViolationError(error.message, violations);
}

function rejectedEvent(
  source: string,
  event: unknown,
  position: number,
  error: SchemaViolationError,
): RejectedEvent {
  const fields = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  return {
    source,
    eventId: typeof fields.id === 'string' ? fields.id : undefined,
    eventType: typeof fields.type === 'string' ? fields.type : undefined,
    position,
    event,
    ...rejectionOf(error),
  };
}

function wholeMessage(payload: unknown, error: SchemaViolationError): RejectedEvent {
  const source = (payload as Payload | null)?.source;
  return { source: typeof source === 'string' ? source : undefined, event: payload, ...rejectionOf(error) };
}
