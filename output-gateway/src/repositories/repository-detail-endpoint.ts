import {
  hostParameter,
  nameParameter,
  ownerParameter,
  type EndpointSpec,
  type SchemaComponents,
} from '../openapi/endpoint-spec.js';

export const repositoryDetailEndpoint: EndpointSpec = {
  path: '/repositories/{owner}/{name}',
  operationId: 'getRepository',
  summary: 'One repository: its metadata, latest metrics and health score',
  description:
    '`metrics` maps every metric name of docs/METRICS.md to its latest value, `null` when it cannot be ' +
    'known; `metricDetails` gives the same values with, for a `null`, the reason (`no_issue_tracker`, ' +
    '`younger_than_window`, … or `not_computed` for a metric the last computation did not know) and the ' +
    "definition's version. A repository whose metrics were never computed answers `metrics: {}`, " +
    '`health: null`, `computedAt: null` and a `note`.',
  parameters: [ownerParameter, nameParameter, hostParameter],
  responseSchema: { $ref: '#/components/schemas/RepositoryDetail' },
  notFound: 'No such repository',
};

const nullableString = { type: ['string', 'null'] };
const nullableInstant = { type: ['string', 'null'], format: 'date-time' };
const nullableCount = { type: ['integer', 'null'], minimum: 0 };
const nullableScore = { type: ['number', 'null'], minimum: 0, maximum: 100 };

export const repositoryDetailComponents: SchemaComponents = {
  RepositoryMetadata: {
    type: 'object',
    description: 'As the host last reported it; `null` where it never did (a plain git repository)',
    properties: {
      host: { type: 'string' },
      owner: { type: 'string' },
      name: { type: 'string' },
      description: nullableString,
      homepage: nullableString,
      language: { ...nullableString, description: 'The primary language' },
      languages: {
        type: ['object', 'null'],
        description: 'Language → bytes of code',
        additionalProperties: { type: 'number' },
      },
      topics: { type: 'array', items: { type: 'string' } },
      license: nullableString,
      defaultBranch: nullableString,
      archived: { type: ['boolean', 'null'] },
      fork: { type: ['boolean', 'null'] },
      stars: nullableCount,
      forks: nullableCount,
      watchers: nullableCount,
      openIssues: nullableCount,
      createdAt: { ...nullableInstant, description: 'When the repository was created at its host' },
      pushedAt: { ...nullableInstant, description: 'The last push, as the host reports it' },
      updatedAt: { type: 'string', format: 'date-time', description: 'When Repo Pulse last changed it' },
    },
    required: [
      'host',
      'owner',
      'name',
      'description',
      'homepage',
      'language',
      'languages',
      'topics',
      'license',
      'defaultBranch',
      'archived',
      'fork',
      'stars',
      'forks',
      'watchers',
      'openIssues',
      'createdAt',
      'pushedAt',
      'updatedAt',
    ],
  },
  MetricDetail: {
    type: 'object',
    properties: {
      value: { type: ['number', 'null'] },
      reason: { type: 'string', description: 'Why the value is null' },
      version: { type: 'integer', description: "The version of the metric's definition" },
    },
    required: ['value'],
  },
  HealthInput: {
    type: 'object',
    properties: {
      metric: { type: 'string' },
      value: { type: ['number', 'null'] },
      score: nullableScore,
    },
    required: ['metric', 'value', 'score'],
  },
  HealthComponent: {
    type: 'object',
    properties: {
      name: { type: 'string', enum: ['activity', 'community', 'responsiveness', 'maintenance', 'growth'] },
      weight: { type: 'number', description: "docs/METRICS.md's weight, before any renormalisation" },
      score: { ...nullableScore, description: 'null when no input is known: the component is left out' },
      inputs: { type: 'array', items: { $ref: '#/components/schemas/HealthInput' } },
      reason: { type: 'string', description: 'The score in words' },
    },
    required: ['name', 'weight', 'score', 'inputs', 'reason'],
  },
  Health: {
    type: 'object',
    properties: {
      score: nullableScore,
      components: { type: 'array', items: { $ref: '#/components/schemas/HealthComponent' } },
      renormalised: {
        type: 'boolean',
        description: 'Components were left out for want of data and the weights of the others renormalised',
      },
      note: { type: 'string' },
    },
    required: ['score', 'components', 'renormalised'],
  },
  RepositoryDetail: {
    type: 'object',
    properties: {
      repository: { $ref: '#/components/schemas/RepositoryMetadata' },
      computedAt: { ...nullableInstant, description: 'The time the metrics and health were computed for' },
      metrics: { $ref: '#/components/schemas/MetricValues' },
      metricDetails: { type: 'object', additionalProperties: { $ref: '#/components/schemas/MetricDetail' } },
      health: { oneOf: [{ $ref: '#/components/schemas/Health' }, { type: 'null' }] },
      note: { type: 'string', description: 'Present when the metrics were never computed' },
    },
    required: ['repository', 'computedAt', 'metrics', 'metricDetails', 'health'],
  },
};
