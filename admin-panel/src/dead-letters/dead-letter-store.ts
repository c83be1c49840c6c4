import type { Envelope, Queryable } from '@repopulse/core';

export interface NewDeadLetter {
  queue: string;
  messageId: string;
  type: string | null;
  envelope: Envelope | null;
  rawBody: string | null;
  error: string | null;
  attempts: number | null;
  failedAt: Date;
}

export interface DeadLetterRecord {
  id: string;
  queue: string;
  messageId: string;
  type: string | null;
  envelope: Envelope | null;
  rawBody: string | null;
  error: string | null;
  attempts: number | null;
  failedAt: Date;
  archivedAt: Date;
}

const columns = `dead_letters.id::text AS id, dead_letters.queue, dead_letters.message_id AS "messageId",
  dead_letters.type, dead_letters.envelope, dead_letters.raw_body AS "rawBody", dead_letters.error,
  dead_letters.attempts, dead_letters.failed_at AS "failedAt", dead_letters.archived_at AS "archivedAt"`;

/** A redelivered message (the ack was lost) finds its row already there and changes nothing. */
export async function insertDeadLetter(database: Queryable, letter: NewDeadLetter): Promise<void> {
  await database.query(
    `INSERT INTO dead_letters (queue, message_id, type, envelope, raw_body, error, attempts, failed_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)
     ON CONFLICT (queue, message_id) DO NOTHING`,
    [
      letter.queue,
      letter.messageId,
      letter.type,
      letter.envelope === null ? null : JSON.stringify(letter.envelope),
      letter.rawBody,
      letter.error,
      letter.attempts,
      letter.failedAt,
    ],
  );
}

/** Newest first, `limit + 1` rows (the extra one says a next page exists). */
export async function listDeadLetters(
  database: Queryable,
  filters: { queue?: string; limit: number; before?: string[] },
): Promise<DeadLetterRecord[]> {
  const { rows } = await database.query<DeadLetterRecord>(
    `SELECT ${columns} FROM dead_letters
      WHERE ($1::text IS NULL OR dead_letters.queue = $1) AND ($2::bigint IS NULL OR dead_letters.id < $2)
      ORDER BY dead_letters.id DESC LIMIT $3`,
    [filters.queue ?? null, filters.before?.[0] ?? null, filters.limit + 1],
  );
  return rows;
}

export async function countDeadLetters(database: Queryable, queue: string | undefined): Promise<number> {
  const { rows } = await database.query<{ count: number }>(
    `SELECT count(*)::integer AS count FROM dead_letters WHERE ($1::text IS NULL OR dead_letters.queue = $1)`,
    [queue ?? null],
  );
  return rows[0]!.count;
}

export async function countDeadLettersByQueue(database: Queryable): Promise<Map<string, number>> {
  const { rows } = await database.query<{ queue: string; count: number }>(
    `SELECT dead_letters.queue, count(*)::integer AS count FROM dead_letters GROUP BY dead_letters.queue`,
  );
  return new Map(rows.map((row) => [row.queue, row.count]));
}

/** Deletes and returns the rows, locking them: two admins replaying one letter send it once. */
export async function takeDeadLetters(
  transaction: Queryable,
  ids: readonly string[],
): Promise<DeadLetterRecord[]> {
  const { rows } = await transaction.query<DeadLetterRecord>(
    `DELETE FROM dead_letters WHERE dead_letters.id = ANY($1::bigint[]) RETURNING ${columns}`,
    [ids],
  );
  return rows;
}

/** The rows among `ids` that hold a replayable envelope, deleted; the unreadable ones stay. */
export async function takeReplayableDeadLetters(
  transaction: Queryable,
  ids: readonly string[],
): Promise<DeadLetterRecord[]> {
  const { rows } = await transaction.query<DeadLetterRecord>(
    `DELETE FROM dead_letters WHERE dead_letters.id = ANY($1::bigint[]) AND dead_letters.envelope IS NOT NULL
     RETURNING ${columns}`,
    [ids],
  );
  return rows;
}
