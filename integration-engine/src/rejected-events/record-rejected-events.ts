import { SchemaViolationError, toStorableText, type Queryable, type SchemaViolation } from '@repopulse/core';

/** One event the engine could not store, for `rejected_events` (migration 0020). */
export interface RejectedEvent {
  source?: string;
  eventId?: string;
  eventType?: string;
  /** Its index in the batch; undefined when the whole message is what was rejected. */
  position?: number;
  /** The event (or the whole payload) as it came. */
  event: unknown;
  reason: string;
  errors: SchemaViolation[];
  sqlstate?: string;
}

/** Why an event was refused, from the schema's violations or PostgreSQL's error. */
export function rejectionOf(error: unknown): Pick<RejectedEvent, 'reason' | 'errors' | 'sqlstate'> {
  if (error instanceof SchemaViolationError) {
    const listed = error.violations.map((violation) => `${violation.path || '/'} ${violation.message}`);
    return { reason: `its schema refuses it: ${listed.join('; ')}`, errors: error.violations };
  }
  const sqlstate = (error as { code?: unknown }).code;
  return {
    reason: `PostgreSQL refused it: ${(error as Error).message}`,
    errors: [],
    sqlstate: typeof sqlstate === 'string' ? sqlstate : undefined,
  };
}

const insertRejectedEvents = `
  INSERT INTO rejected_events (queue, message_id, source, event_id, event_type, position, event, reason, errors,
    sqlstate)
  SELECT $1, $2, input.source, input.event_id, input.event_type, input.position, input.event, input.reason,
    input.errors::jsonb, input.sqlstate
  FROM unnest($3::text[], $4::text[], $5::text[], $6::integer[], $7::text[], $8::text[], $9::text[], $10::text[])
    WITH ORDINALITY AS input (source, event_id, event_type, position, event, reason, errors, sqlstate, n)
  ORDER BY input.n`;

/**
 * Writes each rejected event as a row of its own, in the transaction of the message it came in (a
 * redelivery of that message is dropped by the inbox, so it writes them once). Everything that came from
 * the producer is made text PostgreSQL can hold: the event as JSON (its escapes keep U+0000 and lone
 * surrogates readable), ids and reasons with U+FFFD in place of what text cannot hold.
 */
export async function recordRejectedEvents(
  transaction: Queryable,
  queue: string,
  messageId: string,
  rejected: readonly RejectedEvent[],
): Promise<void> {
  if (rejected.length === 0) return;
  const optionalText = (text: string | undefined) => (text === undefined ? null : toStorableText(text));
  const storableErrors = (errors: SchemaViolation[]) =>
    JSON.stringify(
      errors.map((error) => ({ path: toStorableText(error.path), message: toStorableText(error.message) })),
    );
  await transaction.query(insertRejectedEvents, [
    queue,
    toStorableText(messageId),
    rejected.map((item) => optionalText(item.source)),
    rejected.map((item) => optionalText(item.eventId)),
    rejected.map((item) => optionalText(item.eventType)),
    rejected.map((item) => item.position ?? null),
    rejected.map((item) => JSON.stringify(item.event) ?? 'null'),
    rejected.map((item) => toStorableText(item.reason)),
    rejected.map((item) => storableErrors(item.errors)),
    rejected.map((item) => item.sqlstate ?? null),
  ]);
}
