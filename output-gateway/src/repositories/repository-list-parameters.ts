import { compileEndpointQuery } from '../openapi/query-schema.js';
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
}

export interface RepositoryListParameters {
  filters: RepositoryFilters;
  sort: RepositorySort;
  order: SortOrder;
  /** The page size asked for, capped; undefined when `limit` was not given. */
  limit: number | undefined;
  after: ListPosition | undefined;
  format: 'json' | 'csv' | undefined;
}

/** The JSON page size: `limit` capped to the maximum, or the default. */
export function pageSizeOf(parameters: RepositoryListParameters): number {
  return parameters.limit ?? defaultPageSize;
}

/** Compiled once when the routes are built; the returned function reads one request's query string. */
export function createRepositoryListParametersParser(): (query: unknown) => RepositoryListParameters {
  const validateQuery = compileEndpointQuery<RepositoryListQuery>(repositoryListEndpoint);
  return (rawQuery) => {
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
      },
      sort,
      order,
      limit: query.limit === undefined ? undefined : Math.min(Number(query.limit), maxPageSize),
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor, sort, order),
      format: query.format,
    };
  };
}
