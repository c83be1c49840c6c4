import type { Queryable, SchemaViolation } from '@repopulse/core';

/** A row of `rejected_events` (migration 0020), written by the engine. */
export interface RejectedEventRecord {
  id: string;
  queue: string;
  messageId: string;
  source: string | null;
  eventId: string | null;
  eventType: string | null;
  position: number | null;
  /** The event as JSON text, as it came (it may hold what jsonb cannot: U+0000, lone surrogates). */
  event: string;
  reason: string;
  errors: SchemaViolation[];
  sqlstate: string | null;
  rejectedAt: Date;
}

const columns = `rejected_events.id::text AS id, rejected_events.queue, rejected_events.message_id AS "messageId",
  rejected_events.source, rejected_events.event_id AS "eventId", rejected_events.event_type AS "eventType",
  rejected_events.position, rejected_events.event, rejected_events.reason, rejected_events.errors,
  rejected_events.sqlstate, rejected_events.rejected_at AS "rejectedAt"`;

/** Newest first, `limit + 1` rows (the extra one says a next page exists). */
export async function listRejectedEvents(
  database: Queryable,
  filters: { queue?: string; source?: string; limit: number; before?: string[] },
): Promise<RejectedEventRecord[]> {
  const { rows } = await database.query<RejectedEventRecord>(
    `SELECT ${columns} FROM rejected_events
      WHERE ($1::text IS NULL OR rejected_events.queue = $1) AND ($2::text IS NULL OR rejected_events.source = $2)
        AND ($3::bigint IS NULL OR rejected_events.id < $3)
      ORDER BY rejected_events.id DESC LIMIT $4`,
    [filters.queue ?? null, filters.source ?? null, filters.before?.[0] ?? null, filters.limit + 1],
  );
  return rows;
}

export async function countRejectedEvents(
  database: Queryable,
  filters: { queue?: string; source?: string },
): Promise<number> {
  const { rows } = await database.query<{ count: number }>(
    `SELECT count(*)::integer AS count FROM rejected_events
      WHERE ($1::text IS NULL OR rejected_events.queue = $1) AND ($2::text IS NULL OR rejected_events.source = $2)`,
    [filters.queue ?? null, filters.source ?? null],
  );
  return rows[0]!.count;
}

/** Deletes the rows, returning what they were (for the audit log). */
export async function deleteRejectedEvents(
  transaction: Queryable,
  ids: readonly string[],
): Promise<Array<Pick<RejectedEventRecord, 'id' | 'queue' | 'messageId' | 'eventId'>>> {
  const { rows } = await transaction.query<
    Pick<RejectedEventRecord, 'id' | 'queue' | 'messageId' | 'eventId'>
  >(
    `DELETE FROM rejected_events WHERE rejected_events.id = ANY($1::bigint[])
     RETURNING rejected_events.id::text AS id, rejected_events.queue, rejected_events.message_id AS "messageId",
       rejected_events.event_id AS "eventId"`,
    [ids],
  );
  return rows;
}
