/**
 * An endpoint of the read API as OpenAPI describes it: the one place its parameters, responses and errors
 * are written. The document (`openapi-document.ts`) is assembled from these, and each route's query
 * validator is compiled from the same parameters (`query-schema.ts`), so the two cannot disagree.
 */
export interface QueryParameterSpec {
  name: string;
  in: 'query';
  description: string;
  required?: boolean;
  /** A JSON Schema for the (string) value as it arrives; arrays are written comma-separated. */
  schema: Record<string, unknown>;
  example?: unknown;
}

export interface PathParameterSpec {
  name: string;
  in: 'path';
  description: string;
  required: true;
  schema: Record<string, unknown>;
}

export interface EndpointSpec {
  /** OpenAPI path under `/v1`, e.g. `/repositories/{owner}/{name}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  parameters: Array<QueryParameterSpec | PathParameterSpec>;
  /** The JSON answer's schema (`$ref`s to `components.schemas` allowed). */
  responseSchema: Record<string, unknown>;
  /** List endpoints also answer `text/csv` (Accept or `?format=csv`). */
  csv?: boolean;
  /** 404 when the path names nothing. */
  notFound?: string;
}

/** Components shared by the endpoints (`#/components/schemas/<name>`), added by each endpoint module. */
export type SchemaComponents = Record<string, Record<string, unknown>>;

export const hostParameter: QueryParameterSpec = {
  name: 'host',
  in: 'query',
  description: "The repository host when it is not github.com (a plain git URL's host, or `local`)",
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

export const ownerParameter: PathParameterSpec = {
  name: 'owner',
  in: 'path',
  description: 'The owner (organisation or user), matched without regard to case',
  required: true,
  schema: { type: 'string', minLength: 1, maxLength: 100 },
};

export const nameParameter: PathParameterSpec = {
  name: 'name',
  in: 'path',
  description: 'The repository name, matched without regard to case',
  required: true,
  schema: { type: 'string', minLength: 1, maxLength: 100 },
};

export const formatParameter: QueryParameterSpec = {
  name: 'format',
  in: 'query',
  description: '`csv` answers text/csv (as does `Accept: text/csv`); `json` by default',
  schema: { type: 'string', enum: ['json', 'csv'] },
};
