import { isActiveRepositorySql } from '../organizations/active-repository.js';
import type { NarrowingParameter } from '../scopes/read-scope.js';
import type { TrendFilters } from './trends-parameters.js';

export interface FilterSql {
  /** Conditions on `repositories` (and a left-joined `metric_snapshots`), each starting with AND; '' for none. */
  conditions: string;
  /** Their parameter values, numbered from the `first` given. */
  values: unknown[];
}

// The caller's scope, as lowercased values the indexes on these expressions can match.
const scopedColumns: ReadonlyArray<readonly [NarrowingParameter, string]> = [
  ['owner', 'lower(repositories.owner)'],
  ['host', 'lower(repositories.host)'],
  ['language', 'lower(repositories.primary_language)'],
];

/**
 * The SQL conditions of the filters. Only the filters given become conditions, so the planner sees just
 * those (the owner's goes through the index on lower(owner)); values are always parameters.
 */
export function trendFilterSql(filters: TrendFilters, today: string, first: number): FilterSql {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const parameter = (value: unknown) => {
    values.push(value);
    return `$${first + values.length - 1}`;
  };
  if (filters.host !== null) conditions.push(`lower(repositories.host) = lower(${parameter(filters.host)})`);
  if (filters.owner !== null)
    conditions.push(`lower(repositories.owner) = lower(${parameter(filters.owner)})`);
  if (filters.language !== null) {
    conditions.push(`lower(repositories.primary_language) = lower(${parameter(filters.language)})`);
  }
  if (filters.scope === 'active') conditions.push(isActiveRepositorySql(parameter(today)));
  for (const [name, column] of scopedColumns) {
    const allowed = filters.allowed?.[name];
    if (allowed !== undefined) conditions.push(`${column} = ANY(${parameter(allowed)}::text[])`);
  }
  return { conditions: conditions.map((condition) => `AND ${condition}`).join('\n'), values };
}

/** Whether any filter narrows the repositories. */
export function hasFilters(filters: TrendFilters): boolean {
  return (
    filters.host !== null ||
    filters.owner !== null ||
    filters.language !== null ||
    filters.scope !== 'all' ||
    scopedColumns.some(([name]) => filters.allowed?.[name] !== undefined)
  );
}
