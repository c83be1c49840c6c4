import type { Queryable } from '@repopulse/core';

export interface RawTrends {
  fastestGrowing: Array<{ owner: string; name: string; starsGained: number }>;
  mostActive: Array<{ owner: string; name: string; commits: number }>;
  languages: Array<{ language: string; repositories: number; bytes: number }>;
}

// Trends over the 30 days before now from the facts of every repository: the net stars each gained (star
// facts of the window less those taken back in it), the non-merge commits each had, and the languages of
// all repositories from their `languages` documents. Ties as the endpoint breaks them: newest repository first.
const rawTrendsSql = `
  SELECT
    (SELECT coalesce(json_agg(json_build_object('owner', ranked.owner, 'name', ranked.name, 'starsGained', ranked.gained)
                              ORDER BY ranked.gained DESC, ranked.id DESC), '[]')
       FROM (SELECT repositories.id, repositories.owner, repositories.name, gains.gained
               FROM (SELECT s.repository_id,
                            count(*) FILTER (WHERE s.starred_at >= $1::timestamptz - interval '30 days'
                                               AND s.starred_at < $1::timestamptz)
                            - count(*) FILTER (WHERE s.unstarred_at >= $1::timestamptz - interval '30 days'
                                                 AND s.unstarred_at < $1::timestamptz) AS gained
                       FROM stars AS s
                      WHERE s.starred_at >= $1::timestamptz - interval '30 days'
                         OR s.unstarred_at >= $1::timestamptz - interval '30 days'
                      GROUP BY s.repository_id) AS gains
               JOIN repositories ON repositories.id = gains.repository_id
              WHERE gains.gained > 0
              ORDER BY gains.gained DESC, repositories.id DESC
              LIMIT $2) AS ranked) AS "fastestGrowing",
    (SELECT coalesce(json_agg(json_build_object('owner', ranked.owner, 'name', ranked.name, 'commits', ranked.commits)
                              ORDER BY ranked.commits DESC, ranked.id DESC), '[]')
       FROM (SELECT repositories.id, repositories.owner, repositories.name, recent.commits
               FROM (SELECT c.repository_id, count(*) AS commits
                       FROM commits AS c
                      WHERE c.authored_at >= $1::timestamptz - interval '30 days' AND c.authored_at < $1::timestamptz
                        AND NOT c.is_merge
                      GROUP BY c.repository_id) AS recent
               JOIN repositories ON repositories.id = recent.repository_id
              ORDER BY recent.commits DESC, repositories.id DESC
              LIMIT $2) AS ranked) AS "mostActive",
    (SELECT json_agg(json_build_object('language', used.language, 'repositories', used.repositories, 'bytes', used.bytes)
                     ORDER BY used.bytes DESC, used.repositories DESC, used.language)
       FROM (SELECT entry.key AS language, count(*) AS repositories, sum(entry.value::text::bigint) AS bytes
               FROM repositories CROSS JOIN LATERAL jsonb_each(repositories.languages) AS entry
              GROUP BY entry.key) AS used) AS "languages"`;

export async function rawTrends(database: Queryable, asOf: Date, limit: number): Promise<RawTrends> {
  const { rows } = await database.query<RawTrends>(rawTrendsSql, [asOf, limit]);
  return rows[0]!;
}
