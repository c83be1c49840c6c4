import type { Queryable } from '@repopulse/core';
import type { LanguageShare } from '../organizations/read-organization-portfolio.js';
import { hasFilters, trendFilterSql } from './trend-filters.js';
import type { TrendFilters, TrendPeriod } from './trends-parameters.js';

// Sums the repository_languages read model (a few rows per repository), never the `languages` documents.
// Without a filter every row counts and the repositories table is not read at all.
const languageSharesSql = (source: string) => `
  SELECT shares.language, shares.repositories, shares.bytes,
         CASE WHEN sum(shares.bytes) OVER () > 0
              THEN round((shares.bytes / sum(shares.bytes) OVER ())::numeric, 4)::double precision END AS "share"
    FROM (
      SELECT repository_languages.language, count(*)::integer AS repositories,
             sum(repository_languages.bytes)::double precision AS bytes
        FROM ${source}
       GROUP BY repository_languages.language
    ) AS shares
   ORDER BY shares.bytes DESC, shares.repositories DESC, shares.language`;

/** Per language: the repositories (among those the filters choose) using it, their bytes and its share. */
export async function readLanguageShares(
  database: Queryable,
  period: TrendPeriod,
  filters: TrendFilters,
): Promise<LanguageShare[]> {
  let source = 'repository_languages';
  let values: unknown[] = [];
  if (hasFilters(filters)) {
    const filter = trendFilterSql(filters, period.today, 1);
    source = `repositories
        JOIN repository_languages ON repository_languages.repository_id = repositories.id
        LEFT JOIN metric_snapshots ON metric_snapshots.repository_id = repositories.id
       WHERE true
         ${filter.conditions}`;
    values = filter.values;
  }
  const result = await database.query<LanguageShare>(languageSharesSql(source), values);
  return result.rows;
}
