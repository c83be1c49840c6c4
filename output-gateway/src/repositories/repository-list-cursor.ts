import { invalidParameter } from '../http/query-parameters.js';
import type { RepositorySort, SortOrder } from './repository-list-endpoint.js';

/** Where a page ends: the last item's sort value (null when it has none) and id. */
export interface ListPosition {
  value: number | string | null;
  id: string;
}

// The cursor is the keyset of the last item, with the sort it was made for: continuing it under another
// sort or order would silently skip or repeat repositories, so that is refused instead.
export function encodeCursor(sort: RepositorySort, order: SortOrder, position: ListPosition): string {
  return Buffer.from(JSON.stringify([sort, order, position.value, position.id])).toString('base64url');
}

export function decodeCursor(text: string, sort: RepositorySort, order: SortOrder): ListPosition {
  const fields = parseFields(text);
  if (!fields) throw invalidParameter('cursor', `Query parameter "cursor" is not a cursor this API made`);
  const [cursorSort, cursorOrder, value, id] = fields;
  if (cursorSort !== sort || cursorOrder !== order) {
    throw invalidParameter(
      'cursor',
      `Query parameter "cursor" continues sort=${cursorSort}&order=${cursorOrder}, not sort=${sort}&order=${order}`,
    );
  }
  // The value goes to PostgreSQL as the sort key's type: text for names, integer for stars, else a number.
  const valueFits =
    sort === 'name'
      ? typeof value === 'string'
      : value === null || (sort === 'stars' ? Number.isSafeInteger(value) : Number.isFinite(value));
  if (!valueFits) throw invalidParameter('cursor', `Query parameter "cursor" is not a cursor this API made`);
  return { value, id };
}

function parseFields(text: string): [string, string, number | string | null, string] | undefined {
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(fields) || fields.length !== 4) return undefined;
  const [sort, order, value, id] = fields as unknown[];
  if (typeof sort !== 'string' || typeof order !== 'string') return undefined;
  if (typeof id !== 'string' || !/^[1-9][0-9]{0,17}$/.test(id)) return undefined;
  if (value !== null && typeof value !== 'number' && typeof value !== 'string') return undefined;
  return [sort, order, value, id];
}
