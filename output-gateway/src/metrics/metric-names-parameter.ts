import { invalidParameter } from '../http/query-parameters.js';
import type { QueryParameterSpec } from '../openapi/endpoint-spec.js';
import { seriesNames } from './metric-names.js';

/** `names`: which metrics an answer holds, comma-separated; the endpoint says what it defaults to. */
export function metricNamesParameter(description: string): QueryParameterSpec {
  return {
    name: 'names',
    in: 'query',
    description: `Comma-separated metric names of docs/METRICS.md, or \`health_score\`; ${description}`,
    schema: { type: 'string', minLength: 1, maxLength: 2000 },
    example: 'commits_90d,contributors_90d,health_score',
  };
}

const known = new Set(seriesNames);

/**
 * The names asked for, each once, in the order given; `fallback` when the parameter is absent. An unknown
 * name is a 400 naming `names` and listing what is unknown.
 */
export function parseMetricNames(text: string | undefined, fallback: readonly string[]): string[] {
  if (text === undefined) return [...fallback];
  const names = text.split(',');
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw invalidParameter(
      'names',
      `Query parameter "names" holds unknown metric names: ${unknown.map((name) => `"${name}"`).join(', ')}; ` +
        `the known names are those of METRICS.md and health_score`,
    );
  }
  return [...new Set(names)];
}
