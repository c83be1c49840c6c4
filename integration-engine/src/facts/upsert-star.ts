import type { Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';
import type { StarChange } from './fact-types.js';

/**
 * One person's star on a repository: starring again after an unstar moves the star to the new time; an
 * unstar keeps the row with `unstarred_at`, so net changes stay computable.
 */
export async function upsertStar(
  transaction: Queryable,
  repositoryId: string,
  change: StarChange,
  touched: TouchedDays,
): Promise<void> {
  const { rows } = await transaction.query<{ starred_at: Date; previous_starred_at: Date | null }>(
    `WITH previous AS (
       SELECT s.starred_at FROM stars s WHERE s.repository_id = $1 AND s.actor_login = $2
     ), written AS (
       INSERT INTO stars AS s (repository_id, actor_login, starred_at, unstarred_at)
       VALUES ($1, $2, $3, CASE WHEN $4 THEN NULL ELSE $3::timestamptz END)
       ON CONFLICT (repository_id, actor_login) DO UPDATE SET
         starred_at = CASE WHEN $4 AND $3::timestamptz >= greatest(s.starred_at, s.unstarred_at) THEN $3::timestamptz ELSE s.starred_at END,
         unstarred_at = CASE
           WHEN $4 AND $3::timestamptz >= greatest(s.starred_at, s.unstarred_at) THEN NULL
           WHEN NOT $4 AND $3::timestamptz >= greatest(s.starred_at, s.unstarred_at) THEN $3::timestamptz
           ELSE s.unstarred_at END
       RETURNING s.starred_at
     )
     SELECT written.starred_at, previous.starred_at AS previous_starred_at FROM written LEFT JOIN previous ON true`,
    [repositoryId, change.actorLogin, change.eventAt, change.starred],
  );
  touched.add(repositoryId, rows[0]?.starred_at, rows[0]?.previous_starred_at);
}
