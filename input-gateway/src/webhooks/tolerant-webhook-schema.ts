import type { JsonSchema } from './published-webhook-schema.js';

/*
 * Why the published schemas are not used as they are: GitHub's payloads drift. Taken strictly, the
 * schemas refuse some of GitHub's own examples — older payloads lack fields added since (e.g.
 * `repository.is_template`), newer ones carry properties or enum values the schema does not list.
 * GitHub does not redeliver a refused webhook by itself, so a refusal loses data. The derived schema
 * therefore keeps what a payload's *shape* is (types of every property present, nesting, arrays, the
 * alternatives of a union) and drops what drifts:
 * - `additionalProperties: false` is removed: new properties are welcome;
 * - `required` is removed everywhere, and replaced at the root by the short explicit list of what the
 *   engine reads for that event type (github-webhook-requirements.ts);
 * - `enum` and `const` are removed (GitHub adds values: actions, author associations, states); a node
 *   that only had an enum keeps the JSON types of its values;
 * - `oneOf` becomes `anyOf`: once `required` and `additionalProperties` are gone, several alternatives
 *   of a union can match the same value, which `oneOf` would refuse;
 * - every `type` also allows `null`, read as "absent": GitHub sends null where its schema says string
 *   (`release.name` in its own `release.published` example). The engine's requirements do not allow it;
 * - annotations and Octokit's own keywords (`tsAdditionalProperties`, nested `$schema`) are removed so
 *   ajv can compile in strict mode, and `definitions` become 2020-12 `$defs`.
 * Kept: types, nesting, array items, `format` (only on values GitHub generates: URLs and timestamps)
 * and `maxItems`.
 */
const droppedKeywords = new Set([
  '$schema',
  '$comment',
  'title',
  'description',
  'examples',
  'readOnly',
  'writeOnly',
  'default',
  'deprecated',
  'tsAdditionalProperties',
  'required',
  'enum',
  'const',
]);

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** `null` is read as "absent": GitHub sends null for values its schema calls plain strings (`release.name`). */
function withNull(type: unknown): unknown {
  const types = Array.isArray(type) ? type : [type];
  return types.includes('null') ? type : [...types, 'null'];
}

function tolerantMap(value: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, child]) => [key, tolerant(child)]),
  );
}

// Keywords whose value is a schema, or a map of names to schemas: made tolerant in turn.
const schemaKeywords = new Set(['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains']);
const schemaMapKeywords = new Set(['properties', 'patternProperties']);

/** The JSON types of a node's `enum` or `const` values, for a node that had no `type` of its own. */
function typesOfValues(source: JsonSchema): unknown {
  const values = Array.isArray(source.enum) ? source.enum : 'const' in source ? [source.const] : [];
  const types = [...new Set(values.map(jsonTypeOf))];
  if (types.length === 0) return undefined;
  return withNull(types.length === 1 ? types[0] : types);
}

/** One published schema node made tolerant as described above. */
export function tolerant(node: unknown): unknown {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return node;
  const source = node as JsonSchema;
  const result: JsonSchema = {};
  const alternatives: unknown[][] = [];
  for (const [keyword, value] of Object.entries(source)) {
    if (droppedKeywords.has(keyword) || (keyword === 'additionalProperties' && value === false)) continue;
    if (schemaMapKeywords.has(keyword)) result[keyword] = tolerantMap(value);
    else if (schemaKeywords.has(keyword)) result[keyword] = tolerant(value);
    else if (keyword === 'oneOf' || keyword === 'anyOf')
      alternatives.push((value as unknown[]).map(tolerant));
    else if (keyword === 'allOf') result.allOf = (value as unknown[]).map(tolerant);
    else if (keyword === '$ref') result.$ref = String(value).replace(/^#\/definitions\//, '#/$defs/');
    else if (keyword === 'type') result.type = withNull(value);
    else result[keyword] = value;
  }
  // Two unions on one node (none today) must both hold: the second goes under allOf.
  const [first, ...others] = alternatives;
  if (first) result.anyOf = first;
  if (others.length > 0) {
    result.allOf = [...((result.allOf as unknown[]) ?? []), ...others.map((anyOf) => ({ anyOf }))];
  }
  if (source.type === undefined && typesOfValues(source) !== undefined) result.type = typesOfValues(source);
  return result;
}
