import { SchemaViolationError, type SchemaViolation } from '@repopulse/core';

/** Why a query parameter's value is refused, in words fit for the admin form; undefined when it is fine. */
export type ParameterCheck = (value: string) => string | undefined;

export interface Page {
  limit: number;
  /** The sort keys of the last row of the previous page (newest first: this page starts below them). */
  before: string[] | undefined;
}

export interface ListQuery<Name extends string> {
  page: Page;
  filters: Partial<Record<Name, string>>;
}

const defaultLimit = 50;
const maxLimit = 500;
const limitPattern = /^[1-9]\d{0,2}$/;

/**
 * The cursor is the last row's sort keys, base64url-encoded JSON: opaque to clients, so the keys may
 * change, yet readable by no more than what the row shows anyway.
 */
export function encodeCursor(keys: readonly string[]): string {
  return Buffer.from(JSON.stringify(keys)).toString('base64url');
}

function decodeCursor(cursor: string, length: number): string[] | undefined {
  try {
    const keys: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const valid =
      Array.isArray(keys) && keys.length === length && keys.every((key) => typeof key === 'string');
    return valid ? (keys as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads `limit`, `before` and the list's filters from a query string, or throws 422 naming each bad one.
 * A parameter given twice is refused rather than one of its values picked silently; unknown parameters
 * are ignored (cache busters).
 */
export function readListQuery<Name extends string>(
  query: Record<string, unknown>,
  filters: Record<Name, ParameterCheck>,
  cursorKeys: number,
): ListQuery<Name> {
  const violations: SchemaViolation[] = [];
  const single = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined || typeof value === 'string') return value;
    violations.push({ path: `/${name}`, message: 'must be given once' });
    return undefined;
  };
  const limitText = single('limit');
  const limit = limitText === undefined ? defaultLimit : Number(limitText);
  if (limitText !== undefined && (!limitPattern.test(limitText) || limit > maxLimit)) {
    violations.push({ path: '/limit', message: `must be a whole number from 1 to ${maxLimit}` });
  }
  const cursor = single('before');
  const before = cursor === undefined || cursor === '' ? undefined : decodeCursor(cursor, cursorKeys);
  if (cursor && !before) violations.push({ path: '/before', message: 'is not a cursor this list gave' });
  const values: Partial<Record<Name, string>> = {};
  for (const [name, check] of Object.entries(filters) as Array<[Name, ParameterCheck]>) {
    const value = single(name);
    if (value === undefined || value === '') continue;
    const problem = check(value);
    if (problem) violations.push({ path: `/${name}`, message: problem });
    else values[name] = value;
  }
  if (violations.length > 0) throw new SchemaViolationError('The query cannot be answered', violations);
  return { page: { limit, before }, filters: values };
}

/** One page of rows fetched with `limit + 1`: the extra row says whether another page follows. */
export function pageOf<Row>(
  rows: Row[],
  limit: number,
  cursorOf: (row: Row) => string[],
): { items: Row[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}

export const parameterChecks = {
  oneOf(values: readonly string[]): ParameterCheck {
    return (value) => (values.includes(value) ? undefined : `must be one of ${values.join(', ')}`);
  },
  rowId: ((value) =>
    /^[1-9]\d{0,17}$/.test(value) ? undefined : 'must be an id (a whole number)') as ParameterCheck,
  time: ((value) =>
    /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value))
      ? undefined
      : 'must be an RFC 3339 time or a date (2026-11-02T10:00:00Z, 2026-11-02)') as ParameterCheck,
  text: ((value) => (value.length <= 200 ? undefined : 'is longer than 200 characters')) as ParameterCheck,
};
