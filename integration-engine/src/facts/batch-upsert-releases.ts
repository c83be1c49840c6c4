import type { Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';
import { writeInRounds, type FactStatements, type RepositoryFact } from './batch-upsert-rounds.js';
import type { ReleaseChange } from './fact-types.js';

interface ReleaseRow {
  repository_id: string;
  tag: string;
  published_at: Date;
  deleted_at: Date | null;
}

const insertReleases = `
  WITH input AS (
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[], $5::boolean[], $6::timestamptz[])
      AS i (repository_id, tag, name, published_at, deleted, event_at)
  )
  INSERT INTO releases AS r (repository_id, tag, name, published_at, deleted_at)
  SELECT input.repository_id, input.tag, input.name, input.published_at, CASE WHEN input.deleted THEN input.event_at END
  FROM input ORDER BY input.repository_id, input.tag COLLATE "C"`;

const returning = 'RETURNING r.repository_id::text AS repository_id, r.tag, r.published_at, r.deleted_at';

/**
 * As `upsertRelease`: a deleted release stays as a fact but stops counting. `EXCLUDED.deleted_at` is set
 * exactly when the change deletes (to its `eventAt`); a publish leaves its `eventAt` nowhere in `EXCLUDED`,
 * so the `DO UPDATE` looks it up in the input by the row's key (unique within a round). Releases are few,
 * and the lookup runs only for a publish of a tag already stored.
 */
const releaseStatements: FactStatements<ReleaseChange, ReleaseRow> = {
  keyOf: (change) => [change.tag],
  keyOfRow: (row) => [row.tag],
  parameters: (round) => [
    round.map((item) => item.repositoryId),
    round.map((item) => item.fact.tag),
    round.map((item) => item.fact.name ?? null),
    round.map((item) => item.fact.publishedAt),
    round.map((item) => item.fact.deleted),
    round.map((item) => item.fact.eventAt),
  ],
  insertNew: `${insertReleases} ON CONFLICT (repository_id, tag) DO NOTHING ${returning}`,
  stored: {
    keyParameters: (round) => [round.map((item) => item.repositoryId), round.map((item) => item.fact.tag)],
    lock: `
      SELECT r.repository_id::text AS repository_id, r.tag, r.published_at, r.deleted_at
      FROM releases r JOIN unnest($1::bigint[], $2::text[]) AS stored (repository_id, tag)
        ON r.repository_id = stored.repository_id AND r.tag = stored.tag
      ORDER BY r.repository_id, r.tag COLLATE "C"
      FOR NO KEY UPDATE OF r`,
    upsert: `${insertReleases}
      ON CONFLICT (repository_id, tag) DO UPDATE SET
        name = coalesce(EXCLUDED.name, r.name),
        published_at = CASE WHEN EXCLUDED.deleted_at IS NOT NULL THEN r.published_at ELSE EXCLUDED.published_at END,
        deleted_at = CASE
          WHEN EXCLUDED.deleted_at IS NOT NULL THEN greatest(r.deleted_at, EXCLUDED.deleted_at)
          WHEN r.deleted_at > (SELECT input.event_at FROM input
                               WHERE input.repository_id = EXCLUDED.repository_id AND input.tag = EXCLUDED.tag)
            THEN r.deleted_at
          ELSE NULL END
      ${returning}`,
  },
  times: (row) => [row.published_at],
  counts: (row) => (row.deleted_at === null ? [['releases', row.published_at]] : []),
};

/** `upsertRelease` for many changes, with the same effect as writing them one at a time in order. */
export async function batchUpsertReleases(
  transaction: Queryable,
  changes: ReadonlyArray<RepositoryFact<ReleaseChange>>,
  touched: TouchedDays,
): Promise<void> {
  await writeInRounds(transaction, releaseStatements, changes, touched);
}
