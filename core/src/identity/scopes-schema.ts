import { compileValidator, type Validator } from '../validation/index.js';
import type { Scopes } from './identity.js';

/** JSON Schema of `Scopes`, for request bodies that set them (admin API) and for the stores below. */
export const scopesSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    params: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,63}$' },
      additionalProperties: {
        type: 'array',
        minItems: 1,
        maxItems: 1000,
        uniqueItems: true,
        items: { type: 'string', minLength: 1, maxLength: 200 },
      },
    },
    maxLimit: { type: 'integer', minimum: 1, maximum: 100_000 },
  },
} as const;

let validateScopes: Validator<Scopes> | undefined;

/** Returns the scopes typed, or throws SchemaViolationError (422) naming the failing paths. */
export function checkScopes(value: unknown): Scopes {
  // Compiled on first use rather than on import, and once for the process: a schema compiled per call
  // costs more than the request it guards.
  validateScopes ??= compileValidator<Scopes>(scopesSchema, 'Scopes');
  return validateScopes(value);
}
