import type { Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';

/** Removes commits that are no longer on the default branch (a force push); their days are recounted. */
export async function deleteCommits(
  transaction: Queryable,
  repositoryId: string,
  shas: string[],
  touched: TouchedDays,
): Promise<number> {
  if (shas.length === 0) return 0;
  const { rows } = await transaction.query<{ authored_at: Date }>(
    `DELETE FROM commits WHERE commits.repository_id = $1 AND commits.sha = ANY($2::text[])
     RETURNING commits.authored_at`,
    [repositoryId, shas],
  );
  for (const row of rows) touched.add(repositoryId, row.authored_at);
  return rows.length;
}
