import type { Queryable } from '@repopulse/core';
import { isActiveRepositorySql } from './active-repository.js';
import { topRepositoryCount, type healthBuckets } from './organization-endpoint.js';

export interface LanguageShare {
  language: string;
  repositories: number;
  bytes: number;
  /** Of all bytes, 0-1 with 4 decimals; null when no bytes are known. */
  share: number | null;
}

export interface OrganizationTopRepository {
  owner: string;
  name: string;
  stars: number | null;
  forks: number | null;
  primaryLanguage: string | null;
  archived: boolean | null;
  healthScore: number | null;
}

export interface OrganizationPortfolio {
  /** The spelling most of the owner's repositories carry; null when it has none. */
  owner: string | null;
  repositories: { total: number; archived: number; forks: number; active: number };
  stars: number;
  forks: number;
  languages: LanguageShare[];
  topRepositories: OrganizationTopRepository[];
  health: {
    median: number | null;
    distribution: Array<{ bucket: (typeof healthBuckets)[number]; repositories: number }>;
  };
}

// One statement: the owner's repositories are found once (the identity index on lower(host), lower(owner)),
// with their latest snapshot, and every part of the portfolio is aggregated from that small set. Languages
// come from the repository_languages read model, not from unpacking each repository's `languages`.
// json_build_object keeps counts and sums numbers (pg would hand a bigint over as a string).
const portfolioSql = `
  WITH owned AS MATERIALIZED (
    SELECT repositories.id, repositories.owner, repositories.name, repositories.stars, repositories.forks,
           repositories.archived, repositories.is_fork, repositories.primary_language,
           metric_snapshots.health_score,
           ${isActiveRepositorySql('$3')} AS active
      FROM repositories
      LEFT JOIN metric_snapshots ON metric_snapshots.repository_id = repositories.id
     WHERE lower(repositories.host) = lower($1) AND lower(repositories.owner) = lower($2)
  ), language_totals AS (
    SELECT repository_languages.language, count(*) AS repositories, sum(repository_languages.bytes) AS bytes
      FROM owned
      JOIN repository_languages ON repository_languages.repository_id = owned.id
     GROUP BY repository_languages.language
  )
  SELECT
    (SELECT mode() WITHIN GROUP (ORDER BY owned.owner) FROM owned) AS "owner",
    (SELECT json_build_object(
              'total', count(*),
              'archived', count(*) FILTER (WHERE owned.archived),
              'forks', count(*) FILTER (WHERE owned.is_fork),
              'active', count(*) FILTER (WHERE owned.active),
              'stars', coalesce(sum(owned.stars), 0),
              'forkCount', coalesce(sum(owned.forks), 0))
       FROM owned) AS "totals",
    (SELECT coalesce(json_agg(json_build_object(
              'language', shares.language,
              'repositories', shares.repositories,
              'bytes', shares.bytes,
              'share', CASE WHEN shares.all_bytes > 0 THEN round(shares.bytes / shares.all_bytes, 4) END)
              ORDER BY shares.bytes DESC, shares.repositories DESC, shares.language), '[]')
       FROM (SELECT language_totals.*, sum(language_totals.bytes) OVER () AS all_bytes FROM language_totals) AS shares
    ) AS "languages",
    (SELECT coalesce(json_agg(json_build_object(
              'owner', top.owner,
              'name', top.name,
              'stars', top.stars,
              'forks', top.forks,
              'primaryLanguage', top.primary_language,
              'archived', top.archived,
              'healthScore', top.health_score)
              ORDER BY top.stars DESC NULLS LAST, lower(top.name), top.id), '[]')
       FROM (SELECT owned.* FROM owned ORDER BY owned.stars DESC NULLS LAST, lower(owned.name), owned.id
             LIMIT $4) AS top
    ) AS "topRepositories",
    (SELECT json_build_object(
              'median', percentile_cont(0.5) WITHIN GROUP (ORDER BY owned.health_score),
              'distribution', json_build_array(
                json_build_object('bucket', '0-20', 'repositories', count(*) FILTER (WHERE owned.health_score < 20)),
                json_build_object('bucket', '20-40', 'repositories',
                  count(*) FILTER (WHERE owned.health_score >= 20 AND owned.health_score < 40)),
                json_build_object('bucket', '40-60', 'repositories',
                  count(*) FILTER (WHERE owned.health_score >= 40 AND owned.health_score < 60)),
                json_build_object('bucket', '60-80', 'repositories',
                  count(*) FILTER (WHERE owned.health_score >= 60 AND owned.health_score < 80)),
                json_build_object('bucket', '80-100', 'repositories', count(*) FILTER (WHERE owned.health_score >= 80)),
                json_build_object('bucket', 'unknown', 'repositories', count(*) FILTER (WHERE owned.health_score IS NULL))))
       FROM owned) AS "health"`;

interface PortfolioRow {
  owner: string | null;
  totals: OrganizationPortfolio['repositories'] & { stars: number; forkCount: number };
  languages: LanguageShare[];
  topRepositories: OrganizationTopRepository[];
  health: OrganizationPortfolio['health'];
}

/**
 * The portfolio of one owner on one host as of now (`today` decides which repositories are active), read
 * from repositories, their latest snapshots and the language read model, with `topCount` top repositories
 * (at most `topRepositoryCount`). `repositories.total` is 0 when the owner has no repository there.
 */
export async function readOrganizationPortfolio(
  database: Queryable,
  owner: { host: string; owner: string },
  today: string,
  topCount: number = topRepositoryCount,
): Promise<OrganizationPortfolio> {
  const result = await database.query<PortfolioRow>(portfolioSql, [
    owner.host,
    owner.owner,
    today,
    Math.min(topCount, topRepositoryCount),
  ]);
  const { totals, ...row } = result.rows[0]!;
  const { stars, forkCount, ...repositories } = totals;
  return {
    owner: row.owner,
    repositories,
    stars,
    forks: forkCount,
    languages: row.languages,
    topRepositories: row.topRepositories,
    health: row.health,
  };
}
