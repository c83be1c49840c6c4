import { GraphQLError } from 'graphql';

export interface ConnectionArguments {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** Opaque like GitHub's (`Y3Vyc29yOnYyOp…` is base64 of `cursor:v2:…`), and stable: it names the item. */
export function cursorFor(key: string): string {
  return Buffer.from(`cursor:v2:${key}`).toString('base64');
}

function positionOf(keys: string[], cursor: string, argument: string): number {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  const index = decoded.startsWith('cursor:v2:') ? keys.indexOf(decoded.slice('cursor:v2:'.length)) : -1;
  if (index < 0) throw new GraphQLError(`\`${argument}\` does not appear to be a valid cursor.`);
  return index;
}

/**
 * A Relay connection over an already filtered and ordered list: `first`/`after` and `last`/`before`,
 * `nodes`, `edges { cursor node }` (plus any edge fields, e.g. a language's `size`), `pageInfo`, `totalCount`.
 */
export function connection<T>(
  items: readonly T[],
  args: ConnectionArguments,
  options: {
    keyOf: (item: T) => string;
    node: (item: T) => unknown;
    edge?: (item: T) => Record<string, unknown>;
    extra?: Record<string, unknown>;
  },
): Record<string, unknown> {
  const keys = items.map(options.keyOf);
  let start = args.after ? positionOf(keys, args.after, 'after') + 1 : 0;
  let end = args.before ? positionOf(keys, args.before, 'before') : items.length;
  if (typeof args.first === 'number') end = Math.min(end, start + args.first);
  if (typeof args.last === 'number') start = Math.max(start, end - args.last);
  const page = items.slice(start, end);
  const pageKeys = keys.slice(start, end);
  const firstKey = pageKeys[0];
  const lastKey = pageKeys[pageKeys.length - 1];
  return {
    totalCount: items.length,
    nodes: () => page.map(options.node),
    edges: () =>
      page.map((item, index) => ({
        cursor: cursorFor(pageKeys[index] ?? ''),
        node: options.node(item),
        ...options.edge?.(item),
      })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: firstKey === undefined ? null : cursorFor(firstKey),
      endCursor: lastKey === undefined ? null : cursorFor(lastKey),
    },
    ...options.extra,
  };
}

/** A connection the fake knows only the size of (stargazers, watchers, forks): counts, and no nodes. */
export function countOnlyConnection(totalCount: number): Record<string, unknown> {
  return {
    totalCount,
    nodes: [],
    edges: [],
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  };
}

export interface OrderArgument {
  field: string;
  direction: 'ASC' | 'DESC';
}

/** Sorts by `value(item, field)`; ties keep seed order. */
export function ordered<T>(
  items: readonly T[],
  order: OrderArgument | null | undefined,
  fallback: OrderArgument,
  value: (item: T, field: string) => string | number | null,
): T[] {
  const { field, direction } = order ?? fallback;
  const sign = direction === 'DESC' ? -1 : 1;
  return items
    .map((item, index) => ({ item, index, key: value(item, field) }))
    .sort((a, b) => {
      if (a.key === b.key) return a.index - b.index;
      if (a.key === null) return 1;
      if (b.key === null) return -1;
      return (a.key < b.key ? -1 : 1) * sign;
    })
    .map(({ item }) => item);
}
