import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { SchemaViolationError, type SchemaViolation } from '../errors/index.js';

export type Validator<T> = (value: unknown) => T;

/**
 * Compiles a JSON Schema (2020-12) once, at start, into a function that returns the value typed or
 * throws SchemaViolationError listing every failing path. Never compile on the request path.
 */
export function compileValidator<T>(schema: object, what: string): Validator<T> {
  const ajv = new Ajv2020({ allErrors: true, strict: true, discriminator: true, allowUnionTypes: true });
  addFormats.default(ajv);
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
  const violations: SchemaViolation[] = [];
  for (const error of errors) {
    let path = error.instancePath;
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'required')
      path = `${path}/${(error.params as { missingProperty: string }).missingProperty}`;
    if (error.keyword === 'additionalProperties') {
      path = `${path}/${(error.params as { additionalProperty: string }).additionalProperty}`;
      message = 'is not allowed here';
    }
    if (error.keyword === 'enum')
      message = `${message}: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    const key = `${path} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    violations.push({ path, message });
  }
  return violations.slice(0, 100);
}
