import type { Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';
import { writeInRounds, type FactStatements, type RepositoryFact } from './batch-upsert-rounds.js';
import type { StarChange } from './fact-types.js';

interface StarRow {
  repository_id: string;
  actor_login: string;
  starred_at: Date;
  unstarred_at: Date | null;
}

const insertStars = `
  INSERT INTO stars AS s (repository_id, actor_login, starred_at, unstarred_at)
  SELECT input.repository_id, input.actor_login, input.event_at, CASE WHEN input.starred THEN NULL ELSE input.event_at END
  FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::boolean[]) AS input (repository_id, actor_login, event_at, starred)
  ORDER BY input.repository_id, input.actor_login COLLATE "C"`;

const returning =
  'RETURNING s.repository_id::text AS repository_id, s.actor_login, s.starred_at, s.unstarred_at';

/**
 * As `upsertStar`: starring again after an unstar moves the star to the new time; an unstar keeps the row
 * with `unstarred_at`. `EXCLUDED` carries the change: `starred_at` is its `eventAt`, and `unstarred_at` is
 * null exactly when it stars.
 */
const starStatements: FactStatements<StarChange, StarRow> = {
  keyOf: (change) => [change.actorLogin],
  keyOfRow: (row) => [row.actor_login],
  parameters: (round) => [
    round.map((item) => item.repositoryId),
    round.map((item) => item.fact.actorLogin),
    round.map((item) => item.fact.eventAt),
    round.map((item) => item.fact.starred),
  ],
  insertNew: `${insertStars} ON CONFLICT (repository_id, actor_login) DO NOTHING ${returning}`,
  stored: {
    keyParameters: (round) => [
      round.map((item) => item.repositoryId),
      round.map((item) => item.fact.actorLogin),
    ],
    lock: `
      SELECT s.repository_id::text AS repository_id, s.actor_login, s.starred_at, s.unstarred_at
      FROM stars s JOIN unnest($1::bigint[], $2::text[]) AS stored (repository_id, actor_login)
        ON s.repository_id = stored.repository_id AND s.actor_login = stored.actor_login
      ORDER BY s.repository_id, s.actor_login COLLATE "C"
      FOR NO KEY UPDATE OF s`,
    upsert: `${insertStars}
      ON CONFLICT (repository_id, actor_login) DO UPDATE SET
        starred_at = CASE
          WHEN EXCLUDED.unstarred_at IS NULL AND EXCLUDED.starred_at >= greatest(s.starred_at, s.unstarred_at)
            THEN EXCLUDED.starred_at
          ELSE s.starred_at END,
        unstarred_at = CASE
          WHEN EXCLUDED.unstarred_at IS NULL AND EXCLUDED.starred_at >= greatest(s.starred_at, s.unstarred_at) THEN NULL
          WHEN EXCLUDED.unstarred_at IS NOT NULL AND EXCLUDED.starred_at >= greatest(s.starred_at, s.unstarred_at)
            THEN EXCLUDED.starred_at
          ELSE s.unstarred_at END
      ${returning}`,
  },
  times: (row) => [row.starred_at],
  counts: (row) => (row.unstarred_at === null ? [['stars', row.starred_at]] : []),
};

/** `upsertStar` for many changes, with the same effect as writing them one at a time in order. */
export async function batchUpsertStars(
  transaction: Queryable,
  changes: ReadonlyArray<RepositoryFact<StarChange>>,
  touched: TouchedDays,
): Promise<void> {
  await writeInRounds(transaction, starStatements, changes, touched);
}
