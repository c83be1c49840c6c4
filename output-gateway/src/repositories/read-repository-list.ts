import type { Queryable } from '@repopulse/core';
import type { ListPosition } from './repository-list-cursor.js';
import type { RepositorySort, SortOrder } from './repository-list-endpoint.js';
import type { RepositoryFilters } from './repository-list-parameters.js';

export interface RepositoryListItem {
  host: string;
  owner: string;
  name: string;
  description: string | null;
  language: string | null;
  stars: number | null;
  forks: number | null;
  archived: boolean;
  healthScore: number | null;
  velocity: number | null;
  pushedAt: string | null;
  updatedAt: string;
  computedAt: string | null;
}

export interface RepositoryPage {
  items: RepositoryListItem[];
  /** Where the next page starts; undefined on the last page. */
  next: ListPosition | undefined;
}

export interface RepositoryPageQuery {
  filters: RepositoryFilters;
  sort: RepositorySort;
  order: SortOrder;
  after: ListPosition | undefined;
  limit: number;
}

// Velocity is commits_90d, which the snapshot keeps in a generated column of its own (migration 0006) so
// sorting never reads each snapshot's whole metrics document. Names sort without regard to case.
const sortKeys: Record<RepositorySort, { expression: string; type: string }> = {
  stars: { expression: 'repositories.stars', type: 'integer' },
  health: { expression: 'metric_snapshots.health_score', type: 'double precision' },
  velocity: { expression: 'metric_snapshots.commits_90d', type: 'double precision' },
  name: { expression: 'lower(repositories.name)', type: 'text' },
};

// Absent filters are NULL parameters. The statements are unnamed, so PostgreSQL plans them with the values
// bound and the `$n IS NULL OR …` of an absent filter folds away, leaving what the indexes of migrations
// 0001 and 0006 serve: lower(owner), lower(primary_language), and trigrams of owner, name and description.
// $6-$8 are the caller's scope: the owners, hosts and languages it may read, lowercased, as one array each.
const fromFiltered = `
    FROM repositories
    LEFT JOIN metric_snapshots ON metric_snapshots.repository_id = repositories.id
   WHERE ($1::text IS NULL OR lower(repositories.host) = lower($1::text))
     AND ($2::text IS NULL OR lower(repositories.owner) = lower($2::text))
     AND ($3::text IS NULL OR lower(repositories.primary_language) = lower($3::text))
     AND ($4::text IS NULL OR repositories.owner ILIKE $4::text OR repositories.name ILIKE $4::text
          OR repositories.description ILIKE $4::text)
     AND ($5::boolean IS NULL OR coalesce(repositories.archived, false) = $5::boolean)
     AND ($6::text[] IS NULL OR lower(repositories.owner) = ANY($6::text[]))
     AND ($7::text[] IS NULL OR lower(repositories.host) = ANY($7::text[]))
     AND ($8::text[] IS NULL OR lower(repositories.primary_language) = ANY($8::text[]))`;

/**
 * The keyset page: rows after the cursor's (value, id) in the order `key dir NULLS LAST, id dir`. A row
 * without a value comes after every row with one, so after a cursor with a value come the greater (or
 * lesser) values, the equal value with a later id, then every row without a value.
 */
function pageSql(sort: RepositorySort, order: SortOrder): string {
  const { expression: key, type } = sortKeys[sort];
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  const after = order === 'asc' ? '>' : '<';
  return `
  SELECT repositories.id::text AS "id", repositories.host, repositories.owner, repositories.name,
         repositories.description, repositories.primary_language AS "language", repositories.stars,
         repositories.forks, coalesce(repositories.archived, false) AS "archived",
         metric_snapshots.health_score AS "healthScore", metric_snapshots.commits_90d AS "velocity",
         repositories.pushed_at AS "pushedAt", repositories.updated_at AS "updatedAt",
         metric_snapshots.computed_at AS "computedAt", ${key} AS "sortValue"
  ${fromFiltered}
     AND (NOT $9::boolean OR CASE
           WHEN $10::${type} IS NULL THEN ${key} IS NULL AND repositories.id ${after} $11::bigint
           ELSE ${key} IS NULL OR ${key} ${after} $10::${type}
                OR (${key} = $10::${type} AND repositories.id ${after} $11::bigint)
         END)
   ORDER BY ${key} ${direction} NULLS LAST, repositories.id ${direction}
   LIMIT $12`;
}

const pageStatements = new Map<string, string>();
const pageStatementOf = (sort: RepositorySort, order: SortOrder): string => {
  const key = `${sort} ${order}`;
  let statement = pageStatements.get(key);
  if (!statement) pageStatements.set(key, (statement = pageSql(sort, order)));
  return statement;
};

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

function filterValues(filters: RepositoryFilters): unknown[] {
  return [
    filters.host ?? null,
    filters.owner ?? null,
    filters.language ?? null,
    filters.text === undefined ? null : `%${escapeLike(filters.text)}%`,
    filters.archived ?? null,
    filters.allowed?.owner ?? null,
    filters.allowed?.host ?? null,
    filters.allowed?.language ?? null,
  ];
}

type PageRow = Omit<RepositoryListItem, 'pushedAt' | 'updatedAt' | 'computedAt'> & {
  id: string;
  pushedAt: Date | null;
  updatedAt: Date;
  computedAt: Date | null;
  sortValue: number | string | null;
};

/** One page of the filtered, sorted list, from one query; a row more than asked tells whether more follow. */
export async function readRepositoryPage(
  database: Queryable,
  query: RepositoryPageQuery,
): Promise<RepositoryPage> {
  const result = await database.query<PageRow>(pageStatementOf(query.sort, query.order), [
    ...filterValues(query.filters),
    query.after !== undefined,
    query.after?.value ?? null,
    query.after?.id ?? null,
    query.limit + 1,
  ]);
  const rows = result.rows.slice(0, query.limit);
  const last = rows.at(-1);
  return {
    items: rows.map(({ id: _id, sortValue: _sortValue, pushedAt, updatedAt, computedAt, ...item }) => ({
      ...item,
      pushedAt: pushedAt?.toISOString() ?? null,
      updatedAt: updatedAt.toISOString(),
      computedAt: computedAt?.toISOString() ?? null,
    })),
    next: result.rows.length > query.limit && last ? { value: last.sortValue, id: last.id } : undefined,
  };
}

/**
 * A cheap summary of the filtered set that changes whenever a row of it does: how many, and the latest
 * change to a repository or its snapshot (timestamps as text, to the microsecond). The CSV's ETag.
 */
export async function readRepositoryListFingerprint(
  database: Queryable,
  filters: RepositoryFilters,
): Promise<string> {
  const result = await database.query<{ fingerprint: string }>(
    `SELECT concat_ws('|', count(*), max(repositories.updated_at), max(metric_snapshots.updated_at)) AS "fingerprint"
     ${fromFiltered}`,
    filterValues(filters),
  );
  return result.rows[0]!.fingerprint;
}
