import { formatParameter, type EndpointSpec, type SchemaComponents } from '../openapi/endpoint-spec.js';

export const repositorySorts = ['stars', 'health', 'velocity', 'name'] as const;
export type RepositorySort = (typeof repositorySorts)[number];
export const sortOrders = ['asc', 'desc'] as const;
export type SortOrder = (typeof sortOrders)[number];

export const defaultPageSize = 50;
export const maxPageSize = 200;

export const repositoryListEndpoint: EndpointSpec = {
  path: '/repositories',
  operationId: 'listRepositories',
  summary: 'Repositories, filtered and sorted, a page at a time',
  description:
    'Sorts: `stars`; `health`, the health score; `velocity`, the `commits_90d` metric (non-merge commits to ' +
    'the default branch in the last 90 days); `name`, the repository name without regard to case. Ties are ' +
    'broken by an internal id, so pages never skip or repeat a repository. A repository without the sorted ' +
    'value (never crawled, never computed) comes last in either order. Pages: follow `next` (pass it as ' +
    '`cursor` with the same `sort` and `order`) until it is `null`. As `text/csv` (`Accept: text/csv` or ' +
    '`format=csv`) the answer is streamed: without `limit`, every matching repository from `cursor` on, ' +
    "else at most `limit` rows; under a scope's `maxLimit`, at most that many. A scoped caller's list holds " +
    'only the owners, hosts and languages of its scope.',
  parameters: [
    {
      name: 'owner',
      in: 'query',
      description: 'Only repositories of this owner, matched without regard to case',
      schema: { type: 'string', minLength: 1, maxLength: 100 },
    },
    {
      name: 'language',
      in: 'query',
      description: 'Only repositories of this primary language, matched without regard to case',
      schema: { type: 'string', minLength: 1, maxLength: 100 },
    },
    {
      name: 'q',
      in: 'query',
      description: 'Text found in the owner, name or description, without regard to case',
      schema: { type: 'string', minLength: 1, maxLength: 200 },
    },
    {
      name: 'host',
      in: 'query',
      description: 'Only repositories of this host (e.g. `github.com`); default: every host',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    },
    {
      name: 'archived',
      in: 'query',
      description: '`true`: only archived repositories; `false`: only those not archived; default: both',
      schema: { type: 'string', enum: ['true', 'false'] },
    },
    {
      name: 'sort',
      in: 'query',
      description: 'Sort key; default `stars`',
      schema: { type: 'string', enum: [...repositorySorts] },
    },
    {
      name: 'order',
      in: 'query',
      description: 'Default `desc`, except `asc` for `sort=name`',
      schema: { type: 'string', enum: [...sortOrders] },
    },
    {
      name: 'limit',
      in: 'query',
      description: `Page size, default ${defaultPageSize}; more than ${maxPageSize} is capped to ${maxPageSize}, and either to the scope's \`maxLimit\` (the answer's \`limit\` says which applied)`,
      schema: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' },
    },
    {
      name: 'cursor',
      in: 'query',
      description: 'Where the page starts: the `next` of the previous page (opaque)',
      schema: { type: 'string', minLength: 1, maxLength: 1000 },
    },
    formatParameter,
  ],
  responseSchema: { $ref: '#/components/schemas/RepositoryList' },
  csv: true,
};

const nullableInstant = { type: ['string', 'null'], format: 'date-time' };

/** The columns of an item, also those of the CSV answer, in this order. */
export const repositoryListColumns = [
  'host',
  'owner',
  'name',
  'description',
  'language',
  'stars',
  'forks',
  'archived',
  'healthScore',
  'velocity',
  'pushedAt',
  'updatedAt',
  'computedAt',
] as const;

export const repositoryListComponents: SchemaComponents = {
  RepositoryListItem: {
    type: 'object',
    properties: {
      host: { type: 'string' },
      owner: { type: 'string' },
      name: { type: 'string' },
      description: { type: ['string', 'null'] },
      language: { type: ['string', 'null'], description: 'The primary language' },
      stars: { type: ['integer', 'null'], minimum: 0 },
      forks: { type: ['integer', 'null'], minimum: 0 },
      archived: { type: 'boolean' },
      healthScore: { type: ['number', 'null'], minimum: 0, maximum: 100 },
      velocity: { type: ['number', 'null'], minimum: 0, description: 'commits_90d' },
      pushedAt: { ...nullableInstant, description: 'The last push, as the host reports it' },
      updatedAt: { type: 'string', format: 'date-time', description: 'When Repo Pulse last changed it' },
      computedAt: { ...nullableInstant, description: 'When its metrics were last computed' },
    },
    required: [...repositoryListColumns],
  },
  RepositoryList: {
    type: 'object',
    properties: {
      items: { type: 'array', items: { $ref: '#/components/schemas/RepositoryListItem' } },
      sort: { type: 'string', enum: [...repositorySorts] },
      order: { type: 'string', enum: [...sortOrders] },
      limit: { type: 'integer', minimum: 1, maximum: maxPageSize, description: 'The page size applied' },
      next: { type: ['string', 'null'], description: 'The `cursor` of the next page; null on the last' },
    },
    required: ['items', 'sort', 'order', 'limit', 'next'],
  },
};
