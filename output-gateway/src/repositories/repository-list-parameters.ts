import { compileEndpointQuery } from '../openapi/query-schema.js';
import type { ReadScope } from '../scopes/read-scope.js';
import { decodeCursor, type ListPosition } from './repository-list-cursor.js';
import {
  defaultPageSize,
  maxPageSize,
  repositoryListEndpoint,
  type RepositorySort,
  type SortOrder,
} from './repository-list-endpoint.js';

interface RepositoryListQuery {
  owner?: string;
  language?: string;
  q?: string;
  host?: string;
  archived?: 'true' | 'false';
  sort?: RepositorySort;
  order?: SortOrder;
  limit?: string;
  cursor?: string;
  format?: 'json' | 'csv';
}

export interface RepositoryFilters {
  owner?: string | undefined;
  language?: string | undefined;
  text?: string | undefined;
  host?: string | undefined;
  archived?: boolean | undefined;
  /** The caller's scope: only repositories of these owners, hosts, languages (lowercased). */
  allowed?: ReadScope['allowed'] | undefined;
}

export interface RepositoryListParameters {
  filters: RepositoryFilters;
  sort: RepositorySort;
  order: SortOrder;
  /** The page size asked for, capped to the maximum; undefined when `limit` was not given. */
  limit: number | undefined;
  /** The scope's cap on any one answer (a JSON page, a CSV stream); undefined for none. */
  scopeCap: number | undefined;
  after: ListPosition | undefined;
  format: 'json' | 'csv' | undefined;
}

/** The JSON page size: `limit` capped to the maximum, or the default; either under the scope's cap. */
export function pageSizeOf(parameters: RepositoryListParameters): number {
  return Math.min(parameters.limit ?? defaultPageSize, parameters.scopeCap ?? maxPageSize);
}

/** How many rows a CSV answer holds at most: `limit`, the scope's cap, or every matching repository. */
export function csvRowsOf(parameters: RepositoryListParameters): number {
  return Math.min(
    parameters.limit ?? Number.POSITIVE_INFINITY,
    parameters.scopeCap ?? Number.POSITIVE_INFINITY,
  );
}

/**
 * Compiled once when the routes are built; the returned function reads one request's query string, for a
 * caller with this scope (its owners, hosts and languages narrow the filters; its cap the answer's length).
 */
export function createRepositoryListParametersParser(): (
  query: unknown,
  scope: ReadScope,
) => RepositoryListParameters {
  const validateQuery = compileEndpointQuery<RepositoryListQuery>(repositoryListEndpoint);
  return (rawQuery, scope) => {
    const query = validateQuery(rawQuery);
    const sort = query.sort ?? 'stars';
    const order = query.order ?? (sort === 'name' ? 'asc' : 'desc');
    return {
      filters: {
        owner: query.owner,
        language: query.language,
        text: query.q,
        host: query.host,
        archived: query.archived === undefined ? undefined : query.archived === 'true',
        allowed: scope.allowed,
      },
      sort,
      order,
      limit: query.limit === undefined ? undefined : Math.min(Number(query.limit), maxPageSize),
      scopeCap: scope.maxLimit,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor, sort, order),
      format: query.format,
    };
  };
}
