import type { Queryable } from '@repopulse/core';
import { rawWeeklyActivity } from './raw-activity.js';

export interface RawPortfolio {
  summary: {
    totals: {
      total: number;
      archived: number;
      forks: number;
      active: number;
      stars: number;
      forkCount: number;
    };
    languages: Array<{ language: string; repositories: number; bytes: number }>;
    topRepositories: Array<{ owner: string; name: string; stars: number }>;
  };
  activity: unknown[];
}

// An organisation's portfolio from its repositories' facts: stars and forks standing as of now, active
// meaning a non-merge commit in the last 90 days, languages from each repository's `languages` document,
// the ten most starred. Health needs the engine's metrics and is left out.
const rawPortfolioSql = `
  WITH owned AS MATERIALIZED (
    SELECT repositories.id, repositories.owner, repositories.name, repositories.archived, repositories.is_fork,
           repositories.languages,
           (SELECT count(*) FROM stars AS s
             WHERE s.repository_id = repositories.id AND s.starred_at < $2::timestamptz
               AND (s.unstarred_at IS NULL OR s.unstarred_at >= $2::timestamptz))::integer AS stars,
           (SELECT count(*) FROM forks AS f
             WHERE f.repository_id = repositories.id AND f.forked_at < $2::timestamptz)::integer AS forks,
           EXISTS (SELECT 1 FROM commits AS c
                    WHERE c.repository_id = repositories.id AND NOT c.is_merge
                      AND c.authored_at >= $2::timestamptz - interval '90 days' AND c.authored_at < $2::timestamptz)
             AS active
      FROM repositories
     WHERE lower(repositories.host) = 'github.com' AND lower(repositories.owner) = lower($1))
  SELECT
    (SELECT json_build_object('total', count(*), 'archived', count(*) FILTER (WHERE owned.archived),
                              'forks', count(*) FILTER (WHERE owned.is_fork), 'active', count(*) FILTER (WHERE owned.active),
                              'stars', coalesce(sum(owned.stars), 0), 'forkCount', coalesce(sum(owned.forks), 0))
       FROM owned) AS "totals",
    (SELECT coalesce(json_agg(json_build_object('language', used.language, 'repositories', used.repositories,
                                                'bytes', used.bytes) ORDER BY used.bytes DESC, used.language), '[]')
       FROM (SELECT entry.key AS language, count(*) AS repositories, sum(entry.value::text::bigint) AS bytes
               FROM owned CROSS JOIN LATERAL jsonb_each(owned.languages) AS entry
              GROUP BY entry.key) AS used) AS "languages",
    (SELECT json_agg(json_build_object('owner', top.owner, 'name', top.name, 'stars', top.stars)
                     ORDER BY top.stars DESC, lower(top.name), top.id)
       FROM (SELECT * FROM owned ORDER BY owned.stars DESC, lower(owned.name), owned.id LIMIT 10) AS top)
      AS "topRepositories"`;

/** The portfolio (summary, then a year of weekly activity over every repository) from the facts. */
export async function rawPortfolio(
  database: Queryable,
  organisation: { owner: string; repositoryIds: readonly string[] },
  asOf: Date,
  year: { from: Date; to: Date },
): Promise<RawPortfolio> {
  const { rows } = await database.query<RawPortfolio['summary']>(rawPortfolioSql, [organisation.owner, asOf]);
  const activity = await rawWeeklyActivity(database, organisation.repositoryIds, year.from, year.to);
  return { summary: rows[0]!, activity };
}
