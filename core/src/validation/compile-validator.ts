import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { SchemaViolationError, type SchemaViolation } from '../errors/index.js';
import { instantKeyword, instantKeywordDefinition } from './storable-instant.js';
import { storableTextMessage, storableTextPattern } from './storable-values.js';

export type Validator<T> = (value: unknown) => T;

/**
 * Compiles a JSON Schema (2020-12) once, at start, into a function that returns the value typed or
 * throws SchemaViolationError listing every failing path. Never compile on the request path. Schemas may
 * use `x-instant` (a time PostgreSQL can store, `storable-instant.ts`). `inlineRefs: false` compiles each
 * `$ref`'d definition into a function of its own (see `createGenericEventBatchValidator`).
 */
export function compileValidator<T>(
  schema: object,
  what: string,
  options: { inlineRefs?: boolean } = {},
): Validator<T> {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    discriminator: true,
    allowUnionTypes: true,
    inlineRefs: options.inlineRefs ?? true,
  });
  addFormats.default(ajv);
  ajv.addKeyword(instantKeywordDefinition);
  const validate = ajv.compile(withoutRedundantFormats(schema) as object);
  return (value) => {
    if (validate(value)) return value as T;
    const violations = toViolations(validate.errors ?? []);
    throw new SchemaViolationError(
      `${what} does not match its schema (${violations.length} problem(s))`,
      violations,
    );
  };
}

/**
 * `x-instant` accepts only date-times (a strict profile of them), so beside it `format: 'date-time'` is for
 * readers of the schema: left out of what ajv compiles, where it would parse every time a second time
 * (ajv-formats' date-time check costs three times the rule's).
 */
function withoutRedundantFormats(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutRedundantFormats);
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).map(([key, value]) => [key, withoutRedundantFormats(value)] as const);
  const redundant = instantKeyword in node && (node as { format?: unknown }).format === 'date-time';
  return Object.fromEntries(redundant ? entries.filter(([key]) => key !== 'format') : entries);
}

function toViolations(errors: ErrorObject[]): SchemaViolation[] {
  const seen = new Set<string>();
  // A value that is no date-time at all fails `format` and `x-instant` both: one message says it.
  const badFormats = new Set(errors.filter((error) => error.keyword === 'format').map((e) => e.instancePath));
  const violations: SchemaViolation[] = [];
  for (const error of errors) {
    let path = error.instancePath;
    let message = error.message ?? 'is invalid';
    if (error.keyword === instantKeyword && badFormats.has(path)) continue;
    if (error.keyword === 'required')
      path = `${path}/${(error.params as { missingProperty: string }).missingProperty}`;
    if (error.keyword === 'additionalProperties') {
      path = `${path}/${(error.params as { additionalProperty: string }).additionalProperty}`;
      message = 'is not allowed here';
    }
    if (error.keyword === 'enum')
      message = `${message}: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    if (error.keyword === 'pattern' && (error.params as { pattern: string }).pattern === storableTextPattern)
      message = storableTextMessage;
    const key = `${path} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    violations.push({ path, message });
  }
  return violations.slice(0, 100);
}
