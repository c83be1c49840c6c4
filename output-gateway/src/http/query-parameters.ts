import { BadRequestError, compileValidator, SchemaViolationError } from '@repopulse/core';

/** A query parameter the client got wrong: 400, its name in the detail and as `parameter`. */
export function invalidParameter(parameter: string, detail: string): BadRequestError {
  return new BadRequestError(detail, { parameter });
}

export interface QuerySchema {
  type: 'object';
  properties: Record<string, object>;
  additionalProperties: false;
}

/**
 * Compiles the schema of an endpoint's query string once, at app creation, into a function that returns
 * the query typed or throws a 400 naming the first wrong parameter. Core's validator answers 422, which
 * is right for a body but not for a query string.
 */
export function compileQueryValidator<T>(schema: QuerySchema): (query: unknown) => T {
  const validate = compileValidator<T>(schema, 'The query string');
  const known = Object.keys(schema.properties);
  return (query) => {
    try {
      return validate(query);
    } catch (error) {
      if (!(error instanceof SchemaViolationError)) throw error;
      throw toInvalidParameter(error, known);
    }
  };
}

function toInvalidParameter(error: SchemaViolationError, known: string[]): BadRequestError {
  const first = error.violations[0] ?? { path: '', message: 'is invalid' };
  // The path is a JSON Pointer such as "/interval" or "/from/1" (a repeated parameter).
  const parameter = first.path.split('/')[1] ?? '';
  if (!known.includes(parameter)) {
    return invalidParameter(
      parameter,
      `Unknown query parameter "${parameter}"; this endpoint accepts ${known.join(', ')}`,
    );
  }
  return invalidParameter(parameter, `Query parameter "${parameter}" ${first.message}`);
}
