type Scalar = string | number | boolean | null | undefined;

const quoteOrBackslash = /["\\]/;

/**
 * A PostgreSQL array literal (`{"a",NULL,"b"}`) of strings, numbers, booleans and nulls, for a parameter
 * cast to an array type (`$1::text[]`), or undefined when an element is anything else (a Date, a nested
 * array: pg's own conversion handles those). The same text pg would send, made for the set-based writes'
 * large arrays in one pass: pg runs two regular-expression replacements over every string element, here
 * only over those holding a quote or a backslash.
 */
export function arrayLiteral(values: readonly unknown[]): string | undefined {
  let literal = '{';
  for (let index = 0; index < values.length; index++) {
    if (index > 0) literal += ',';
    const value = values[index] as Scalar | object;
    if (value === null || value === undefined) literal += 'NULL';
    else if (typeof value === 'string')
      literal += quoteOrBackslash.test(value) ? `"${value.replace(/["\\]/g, '\\$&')}"` : `"${value}"`;
    else if (typeof value === 'number' || typeof value === 'boolean') literal += String(value);
    else return undefined;
  }
  return `${literal}}`;
}

/** The parameters with every array of scalars as its literal (see `arrayLiteral`); others unchanged. */
export function withArrayLiterals(parameters: readonly unknown[]): unknown[] {
  return parameters.map((parameter) =>
    Array.isArray(parameter) ? (arrayLiteral(parameter) ?? parameter) : parameter,
  );
}
