import type { Queryable } from '@repopulse/core';

/**
 * The `git` source an admin added with exactly this target, if any. Matched as the sources'
 * unique index matches (case aside): the engine checks the same row before it crawls a local target.
 */
export async function selectGitSource(
  database: Queryable,
  target: string,
): Promise<{ id: string; target: string } | undefined> {
  const { rows } = await database.query<{ id: string; target: string }>(
    `SELECT sources.id::text AS id, sources.target FROM sources
      WHERE sources.kind = 'git' AND lower(sources.target) = lower($1)
      LIMIT 1`,
    [target],
  );
  return rows[0];
}
