import { prepared, type Queryable } from '@repopulse/core';

const insertEventIds = prepared(
  `INSERT INTO processed_events (source, event_id)
   SELECT $1, ids.event_id FROM unnest($2::text[]) AS ids (event_id)
   ON CONFLICT DO NOTHING
   RETURNING processed_events.event_id`,
);

/** Records the supplier's event ids; returns those not seen before (a resent event changes nothing). */
export async function markEventsProcessed(
  transaction: Queryable,
  source: string,
  eventIds: string[],
): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const { rows } = await transaction.query<{ event_id: string }>(insertEventIds, [
    source,
    [...new Set(eventIds)],
  ]);
  return new Set(rows.map((row) => row.event_id));
}
