import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { SchemaViolationError, type SchemaViolation } from '../errors/index.js';
import { instantKeyword, instantKeywordDefinition } from './storable-instant.js';
import { storableTextMessage, storableTextPattern } from './storable-values.js';

export type Validator<T> = (value: unknown) => T;

/**
 * Compiles a JSON Schema (2020-12) once, at start, into a function that returns the value typed or
 * throws SchemaViolationError listing every failing path. Never compile on the request path. Schemas may
 * use `x-instant` (a time PostgreSQL can store, `storable-instant.ts`).
 */
export function compileValidator<T>(schema: object, what: string): Validator<T> {
  const ajv = new Ajv2020({ allErrors: true, strict: true, discriminator: true, allowUnionTypes: true });
  addFormats.default(ajv);
  ajv.addKeyword(instantKeywordDefinition);
  const validate = ajv.compile(schema);
  return (value) => {
    if (validate(value)) return value as T;
    const violations = toViolations(validate.errors ?? []);
    throw new SchemaViolationError(
      `${what} does not match its schema (${violations.length} problem(s))`,
      violations,
    );
  };
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
