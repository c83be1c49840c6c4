import {
  hostParameter,
  ownerParameter,
  type EndpointSpec,
  type SchemaComponents,
} from '../openapi/endpoint-spec.js';
import { intervals } from '../time-range/time-range.js';

export const healthBuckets = ['0-20', '20-40', '40-60', '60-80', '80-100', 'unknown'] as const;

/** How many repositories `topRepositories` lists. */
export const topRepositoryCount = 10;

export const organizationEndpoint: EndpointSpec = {
  path: '/organizations/{owner}',
  operationId: 'getOrganization',
  summary: "An owner's portfolio: its repositories, stars, languages, activity and health spread",
  description:
    'Everything about the repositories of one owner (organisation or user) on one host. `repositories.active` ' +
    "counts those with a non-merge commit in the last 90 days (the latest metrics' `commits_90d`, else the " +
    'activity rollup). `languages` sums the bytes of each language over the repositories (a repository whose ' +
    'byte counts are unknown counts its primary language with 0 bytes); `share` is the share of all bytes, null ' +
    'when no bytes are known. `topRepositories` are the ten with most stars (fewer under a scope whose ' +
    '`maxLimit` is lower). `activity` sums the activity of every repository per UTC bucket, zero-filled, as ' +
    '`/repositories/{owner}/{name}/activity` does for one. ' +
    '`health.distribution` counts the repositories per health score bucket (lower bound included, upper ' +
    'excluded, except 100 in `80-100`; `unknown`: no score yet); `health.median` is null when no repository ' +
    'has a score.',
  parameters: [
    ownerParameter,
    {
      name: 'from',
      in: 'query',
      description:
        'Start of the activity series (inclusive): RFC 3339 instant or YYYY-MM-DD; default: one year before `to`',
      schema: { type: 'string' },
    },
    {
      name: 'to',
      in: 'query',
      description:
        'End of the activity series (exclusive): RFC 3339 instant or YYYY-MM-DD; default: the end of today (UTC)',
      schema: { type: 'string' },
    },
    {
      name: 'interval',
      in: 'query',
      description: 'Bucket size of the activity series (weeks start on Monday); default `week`',
      schema: { type: 'string', enum: [...intervals] },
    },
    hostParameter,
  ],
  responseSchema: { $ref: '#/components/schemas/OrganizationPortfolio' },
  notFound: 'The owner has no repository on this host',
};

const count = { type: 'integer', minimum: 0 };
const nullableNumber = { type: ['number', 'null'] };

export const organizationComponents: SchemaComponents = {
  LanguageShare: {
    type: 'object',
    properties: {
      language: { type: 'string' },
      repositories: { ...count, description: 'repositories using the language' },
      bytes: { type: 'number', minimum: 0 },
      share: { type: ['number', 'null'], minimum: 0, maximum: 1, description: 'of all bytes, 4 decimals' },
    },
    required: ['language', 'repositories', 'bytes', 'share'],
  },
  OrganizationTopRepository: {
    type: 'object',
    properties: {
      owner: { type: 'string' },
      name: { type: 'string' },
      stars: { type: ['integer', 'null'] },
      forks: { type: ['integer', 'null'] },
      primaryLanguage: { type: ['string', 'null'] },
      archived: { type: ['boolean', 'null'] },
      healthScore: { ...nullableNumber, description: '0-100, null before the first computation' },
    },
    required: ['owner', 'name', 'stars', 'forks', 'primaryLanguage', 'archived', 'healthScore'],
  },
  HealthSpread: {
    type: 'object',
    properties: {
      median: nullableNumber,
      distribution: {
        type: 'array',
        items: {
          type: 'object',
          properties: { bucket: { type: 'string', enum: [...healthBuckets] }, repositories: count },
          required: ['bucket', 'repositories'],
        },
      },
    },
    required: ['median', 'distribution'],
  },
  OrganizationPortfolio: {
    type: 'object',
    properties: {
      host: { type: 'string' },
      owner: { type: 'string', description: "the owner's spelling most of its repositories carry" },
      repositories: {
        type: 'object',
        properties: { total: count, archived: count, forks: count, active: count },
        required: ['total', 'archived', 'forks', 'active'],
      },
      stars: { ...count, description: 'sum over the repositories' },
      forks: { ...count, description: 'sum over the repositories' },
      languages: { type: 'array', items: { $ref: '#/components/schemas/LanguageShare' } },
      topRepositories: {
        type: 'array',
        maxItems: topRepositoryCount,
        items: { $ref: '#/components/schemas/OrganizationTopRepository' },
      },
      activity: {
        type: 'object',
        properties: {
          interval: { type: 'string', enum: [...intervals] },
          from: { type: 'string', format: 'date-time' },
          to: { type: 'string', format: 'date-time' },
          series: { type: 'array', items: { $ref: '#/components/schemas/ActivityBucket' } },
        },
        required: ['interval', 'from', 'to', 'series'],
      },
      health: { $ref: '#/components/schemas/HealthSpread' },
    },
    required: [
      'host',
      'owner',
      'repositories',
      'stars',
      'forks',
      'languages',
      'topRepositories',
      'activity',
      'health',
    ],
  },
};
