import type { EndpointSpec, SchemaComponents } from './endpoint-spec.js';

const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    parameter: { type: 'string', description: 'the query parameter at fault (400)' },
  },
  required: ['title', 'status'],
};

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const cachingHeaders = {
  ETag: {
    description: 'weak validator of the answer; send it back in If-None-Match',
    schema: { type: 'string' },
  },
  'Cache-Control': { description: '`private, max-age=60`', schema: { type: 'string' } },
};

// What the permission proxy tells the gateway about a user's or API key's scopes, and what they do here.
const scopesDescription =
  '**Scopes.** A user or API key may be scoped: `{ "params": { "owner": ["acme", "globex"] }, "maxLimit": 100 }`. ' +
  'Every answer is then narrowed to what the scope allows, names matched without regard to case: ' +
  '`owner` and `host` leave out the repositories of other owners and hosts everywhere: lists, search, CSV, ' +
  'trends (their rankings and language shares computed over the allowed repositories only); the detail, ' +
  'activity, metrics, portfolio or comparison of another owner or host (`github.com` when `host` is left out) ' +
  'is 403. `language` narrows the repository list and the trends to those primary languages. A list filter ' +
  'outside the scope (`owner=`, `host=`, `language=`), or any other scoped parameter given another value, is ' +
  '403; left out, the list holds only what the scope allows. `maxLimit` caps the length of every answer, ' +
  '`limit` given or not: a page of the repository list, a CSV stream (at most `maxLimit` rows: continue with ' +
  "`cursor` from a JSON page), the trends' lists and a portfolio's `topRepositories`. The scope is part of " +
  'every ETag, and answers vary with the caller (`Vary`, `Cache-Control: private`).';

/** The OpenAPI 3.1 document of the read API, from its endpoints; served at `GET /v1/openapi.json`. */
export function openApiDocument(endpoints: readonly EndpointSpec[], components: SchemaComponents) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of endpoints) {
    const content: Record<string, unknown> = { 'application/json': { schema: endpoint.responseSchema } };
    if (endpoint.csv)
      content['text/csv'] = {
        schema: { type: 'string', description: 'a header row, then one row per item' },
      };
    const responses: Record<string, unknown> = {
      '200': { description: endpoint.summary, headers: cachingHeaders, content },
      '304': {
        description: 'Not modified: the If-None-Match named the current ETag',
        headers: cachingHeaders,
      },
      '400': problem('A query parameter is malformed or unknown; `parameter` names it'),
      '401': problem('No or bad credentials (at the permission proxy)'),
      '403': problem(
        'The caller may not read this: not with its role (at the permission proxy), or not within its scopes ' +
          '(an owner, host or other parameter value outside them; at the proxy and here)',
      ),
      '429': problem('Too many requests (at the permission proxy); retry after Retry-After'),
      '503': problem('The database is unavailable'),
    };
    if (endpoint.notFound) responses['404'] = problem(endpoint.notFound);
    paths[`/v1${endpoint.path}`] = {
      ...(paths[`/v1${endpoint.path}`] ?? {}),
      get: {
        operationId: endpoint.operationId,
        summary: endpoint.summary,
        ...(endpoint.description ? { description: endpoint.description } : {}),
        parameters: endpoint.parameters,
        responses,
      },
    };
  }
  paths['/v1/openapi.json'] = {
    get: {
      operationId: 'getOpenApi',
      summary: 'This document',
      responses: {
        '200': {
          description: 'The OpenAPI 3.1 document',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Repo Pulse read API',
      version: '1.0.0',
      description:
        'Repositories, their metrics (as docs/METRICS.md defines them), health, activity, organisation ' +
        'portfolios, comparisons and trends. Every GET answers with an ETag and Cache-Control; errors are RFC 9457 problem documents.\n\n' +
        scopesDescription,
    },
    servers: [
      { url: '/api', description: 'through the permission proxy' },
      { url: '/', description: 'the output gateway itself' },
    ],
    paths,
    components: { schemas: { Problem: problemSchema, ...components } },
  };
}
