import type { Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';
import type { ReleaseChange } from './fact-types.js';

/** Publishes or deletes a release by its tag; a deleted release stays as a fact but stops counting. */
export async function upsertRelease(
  transaction: Queryable,
  repositoryId: string,
  change: ReleaseChange,
  touched: TouchedDays,
): Promise<void> {
  const { rows } = await transaction.query<{ published_at: Date; previous_published_at: Date | null }>(
    `WITH previous AS (
       SELECT r.published_at FROM releases r WHERE r.repository_id = $1 AND r.tag = $2
     ), written AS (
       INSERT INTO releases AS r (repository_id, tag, name, published_at, deleted_at)
       VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN $6::timestamptz END)
       ON CONFLICT (repository_id, tag) DO UPDATE SET
         name = coalesce(EXCLUDED.name, r.name),
         published_at = CASE WHEN $5 THEN r.published_at ELSE EXCLUDED.published_at END,
         deleted_at = CASE WHEN $5 THEN greatest(r.deleted_at, $6::timestamptz)
                           WHEN r.deleted_at > $6::timestamptz THEN r.deleted_at ELSE NULL END
       RETURNING r.published_at
     )
     SELECT written.published_at, previous.published_at AS previous_published_at FROM written LEFT JOIN previous ON true`,
    [repositoryId, change.tag, change.name ?? null, change.publishedAt, change.deleted, change.eventAt],
  );
  touched.add(repositoryId, rows[0]?.published_at, rows[0]?.previous_published_at);
}
