import {
  checkInstant,
  repositorySegmentPattern,
  SchemaViolationError,
  shaPattern,
  toStorableText,
} from '@repopulse/core';

/** A JSON object from a webhook body; only the fields the engine reads are ever looked at. */
export type WebhookObject = Record<string, unknown>;

/** The range of the column an integer goes to (`int4`, `jsonInt8` from core). */
export interface IntegerRange {
  minimum: number;
  maximum: number;
}

/**
 * Typed reads of a webhook body by dotted path. The gateway validated the fields the engine requires and
 * their bounds (`input-gateway/src/webhooks/github-webhook-bounds.ts`, the same rules), but the queue is not
 * a trust boundary and GitHub's payloads drift, so each read checks its type and its bound, and a wrong one
 * fails with the path. `null` and missing read as `undefined` (GitHub sends both).
 *
 * Every value read is one PostgreSQL can store: integers within their column, times within core's
 * `x-instant` rule, text with U+FFFD in place of U+0000 and unpaired surrogates (GitHub passes commit
 * messages on as git holds them, and refusing a push for one character would lose the push), and keys
 * (logins, tags, shas, owner and repository names) short enough for their indexes.
 */
function valueAt(body: WebhookObject, path: string): unknown {
  let value: unknown = body;
  for (const key of path.split('.')) {
    if (value === null || value === undefined) return undefined;
    // An array is walked by index (`commits.3.id`).
    const walkable = Array.isArray(value) ? /^\d+$/.test(key) : typeof value === 'object';
    if (!walkable) throw violation(path, 'must be an object on the way', body);
    value = Object.hasOwn(value as object, key) ? (value as WebhookObject)[key] : undefined;
  }
  return value ?? undefined;
}

// Where each object handed out by `optionalObject` and `objectArray` is in the body, so a violation in it
// names its whole path (`/pull_request/merged_by/login`, not `/merged_by/login`).
const placeInBody = new WeakMap<object, string>();

function pathInBody(body: WebhookObject, path: string): string {
  const place = placeInBody.get(body);
  return place === undefined ? path : `${place}.${path}`;
}

function handedOut<T extends object>(object: T, body: WebhookObject, path: string): T {
  placeInBody.set(object, pathInBody(body, path));
  return object;
}

/** The error for a field at a dotted path (in `body`, when given) that is missing or of the wrong type. */
export function violation(path: string, message: string, body?: WebhookObject): SchemaViolationError {
  const pointer = `/${(body === undefined ? path : pathInBody(body, path)).replaceAll('.', '/')}`;
  return new SchemaViolationError(`The webhook body has ${pointer} ${message}`, [{ path: pointer, message }]);
}

/** Text, storable (see above); at most `maxLength` characters where it is a key of an index. */
export function optionalString(body: WebhookObject, path: string, maxLength?: number): string | undefined {
  const value = valueAt(body, path);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw violation(path, 'must be a string', body);
  if (maxLength !== undefined && value.length > maxLength)
    throw violation(path, `must NOT have more than ${maxLength} characters`, body);
  return toStorableText(value);
}

export function requiredString(body: WebhookObject, path: string, maxLength?: number): string {
  const value = optionalString(body, path, maxLength);
  if (value === undefined || value === '') throw violation(path, 'is required', body);
  return value;
}

const segment = new RegExp(repositorySegmentPattern);
const sha = new RegExp(shaPattern);

/** An owner login or repository name (at `path` from the body's root), as the generic format allows them. */
export function repositorySegment(value: string | undefined, path: string): string {
  if (!value) throw violation(path, 'is required');
  if (!segment.test(value)) throw violation(path, `must match pattern "${repositorySegmentPattern}"`);
  return value;
}

/** A commit id: a git sha (40 or 64 hex digits), the key of its commit. */
export function requiredSha(body: WebhookObject, path: string): string {
  const value = requiredString(body, path);
  if (!sha.test(value)) throw violation(path, `must match pattern "${shaPattern}"`, body);
  return value;
}

export function requiredInteger(body: WebhookObject, path: string, range: IntegerRange): number {
  const value = optionalInteger(body, path, range);
  if (value === undefined) throw violation(path, 'must be an integer', body);
  return value;
}

export function optionalObject(body: WebhookObject, path: string): WebhookObject | undefined {
  const value = valueAt(body, path);
  if (value === undefined) return undefined;
  if (typeof value === 'object' && !Array.isArray(value))
    return handedOut(value as WebhookObject, body, path);
  throw violation(path, 'must be an object', body);
}

export function requiredObject(body: WebhookObject, path: string): WebhookObject {
  const value = optionalObject(body, path);
  if (value === undefined) throw violation(path, 'is required', body);
  return value;
}

/** The objects of an array field; an item that is not an object fails with its index. */
export function objectArray(body: WebhookObject, path: string): WebhookObject[] {
  const value = valueAt(body, path);
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw violation(path, 'must be an array', body);
  return value.map((item: unknown, index) => {
    if (typeof item === 'object' && item !== null && !Array.isArray(item))
      return handedOut(item as WebhookObject, body, `${path}.${index}`);
    throw violation(`${path}.${index}`, 'must be an object', body);
  });
}

export function optionalInteger(body: WebhookObject, path: string, range: IntegerRange): number | undefined {
  const value = valueAt(body, path);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw violation(path, 'must be an integer', body);
  if (value < range.minimum) throw violation(path, `must be >= ${range.minimum}`, body);
  if (value > range.maximum) throw violation(path, `must be <= ${range.maximum}`, body);
  return value;
}

export function optionalBoolean(body: WebhookObject, path: string): boolean | undefined {
  const value = valueAt(body, path);
  if (value === undefined || typeof value === 'boolean') return value;
  throw violation(path, 'must be a boolean', body);
}

/**
 * A time GitHub sends as RFC 3339, or (in push payloads' repository) as seconds since the epoch, within
 * core's `x-instant` rule. The string is passed on as sent (the rule makes PostgreSQL read it as JavaScript
 * does); seconds become their RFC 3339 time.
 */
export function optionalTime(body: WebhookObject, path: string): string | undefined {
  const value = valueAt(body, path);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') throw violation(path, 'must be a time', body);
  const checked = checkInstant(value);
  if (typeof checked === 'string') throw violation(path, checked, body);
  return typeof value === 'number' ? new Date(checked).toISOString() : value;
}

export function requiredTime(body: WebhookObject, path: string): string {
  const value = optionalTime(body, path);
  if (value === undefined) throw violation(path, 'is required', body);
  return value;
}
