import type { Queryable } from '@repopulse/core';

// The list's first page (one language, by stars) from the facts: the language's repositories ranked by the
// stars their star facts say they hold, with the commits of their last 90 days (the list's velocity).
const rawRepositoryPageSql = `
  SELECT ranked.owner, ranked.name, ranked.stars,
         (SELECT count(*) FROM commits AS c
           WHERE c.repository_id = ranked.id AND NOT c.is_merge
             AND c.authored_at >= $2::timestamptz - interval '90 days' AND c.authored_at < $2::timestamptz)::integer
           AS velocity
    FROM (SELECT repositories.id, repositories.owner, repositories.name,
                 (SELECT count(*) FROM stars AS s
                   WHERE s.repository_id = repositories.id AND s.starred_at < $2::timestamptz
                     AND (s.unstarred_at IS NULL OR s.unstarred_at >= $2::timestamptz))::integer AS stars
            FROM repositories
           WHERE lower(repositories.primary_language) = lower($1)
           ORDER BY stars DESC, repositories.id DESC
           LIMIT $3) AS ranked
   ORDER BY ranked.stars DESC, ranked.id DESC`;

export async function rawRepositoryPage(database: Queryable, language: string, asOf: Date, limit: number) {
  const { rows } = await database.query(rawRepositoryPageSql, [language, asOf, limit]);
  return rows;
}
