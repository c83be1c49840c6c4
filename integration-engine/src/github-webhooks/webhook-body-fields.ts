import { SchemaViolationError } from '@repopulse/core';

/** A JSON object from a webhook body; only the fields the engine reads are ever looked at. */
export type WebhookObject = Record<string, unknown>;

/**
 * Typed reads of a webhook body by dotted path. The gateway validated the fields the engine requires,
 * but the queue is not a trust boundary and GitHub's payloads drift, so each read checks its type and a
 * wrong one fails with the path. `null` and missing read as `undefined` (GitHub sends both).
 */
function valueAt(body: WebhookObject, path: string): unknown {
  let value: unknown = body;
  for (const key of path.split('.')) {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value))
      throw violation(path, 'must be an object on the way');
    value = (value as WebhookObject)[key];
  }
  return value ?? undefined;
}

/** The error for a field at a dotted path that is missing or of the wrong type. */
export function violation(path: string, message: string): SchemaViolationError {
  const pointer = `/${path.replaceAll('.', '/')}`;
  return new SchemaViolationError(`The webhook body has ${pointer} ${message}`, [{ path: pointer, message }]);
}

export function optionalString(body: WebhookObject, path: string): string | undefined {
  const value = valueAt(body, path);
  if (value === undefined || typeof value === 'string') return value;
  throw violation(path, 'must be a string');
}

export function requiredString(body: WebhookObject, path: string): string {
  const value = optionalString(body, path);
  if (value === undefined || value === '') throw violation(path, 'is required');
  return value;
}

export function requiredInteger(body: WebhookObject, path: string): number {
  const value = valueAt(body, path);
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw violation(path, 'must be an integer');
}

export function optionalObject(body: WebhookObject, path: string): WebhookObject | undefined {
  const value = valueAt(body, path);
  if (value === undefined) return undefined;
  if (typeof value === 'object' && !Array.isArray(value)) return value as WebhookObject;
  throw violation(path, 'must be an object');
}

export function requiredObject(body: WebhookObject, path: string): WebhookObject {
  const value = optionalObject(body, path);
  if (value === undefined) throw violation(path, 'is required');
  return value;
}

/** The objects of an array field; an item that is not an object fails with its index. */
export function objectArray(body: WebhookObject, path: string): WebhookObject[] {
  const value = valueAt(body, path);
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw violation(path, 'must be an array');
  return value.map((item: unknown, index) => {
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) return item as WebhookObject;
    throw violation(`${path}.${index}`, 'must be an object');
  });
}

export function optionalInteger(body: WebhookObject, path: string): number | undefined {
  const value = valueAt(body, path);
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw violation(path, 'must be an integer');
}

export function optionalBoolean(body: WebhookObject, path: string): boolean | undefined {
  const value = valueAt(body, path);
  if (value === undefined || typeof value === 'boolean') return value;
  throw violation(path, 'must be a boolean');
}

/** A time GitHub sends as RFC 3339, or (in push payloads' repository) as seconds since the epoch. */
export function optionalTime(body: WebhookObject, path: string): string | undefined {
  const value = valueAt(body, path);
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000).toISOString();
  if (typeof value === 'string' && Number.isFinite(Date.parse(value))) return value;
  throw violation(path, 'must be a time');
}
