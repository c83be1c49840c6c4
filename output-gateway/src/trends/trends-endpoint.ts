import type { EndpointSpec, SchemaComponents } from '../openapi/endpoint-spec.js';

/** The trend windows and their length in days. */
export const trendWindows = { '7d': 7, '30d': 30, '90d': 90, '365d': 365 } as const;
export type TrendWindow = keyof typeof trendWindows;

export const trendScopes = ['all', 'active'] as const;
export type TrendScope = (typeof trendScopes)[number];

export const defaultTrendLimit = 10;
export const maxTrendLimit = 100;

export const trendsEndpoint: EndpointSpec = {
  path: '/trends',
  operationId: 'getTrends',
  summary: 'Fastest-growing repositories, most active repositories and language shares over a window',
  description:
    'The window is the `window` UTC days ending with today (`from` to `to`, half-open). The filters choose the ' +
    'repositories every part of the answer considers. ' +
    '`fastestGrowing`: repositories by stars gained in the window, those that gained none or whose gain is ' +
    "unknown left out. For `30d` the gain is the latest metrics' `stars_gained_30d` (docs/METRICS.md: " +
    'net of unstars, from the daily count snapshots, refined by star facts). For the other windows it is ' +
    'the current count less the count of the daily snapshot of the day before the window (or of the latest ' +
    'snapshot before it); a repository created inside the window gained its whole count; one with no ' +
    'snapshot that old is left out. ' +
    '`mostActive`: repositories by non-merge commits authored in the window, those without any left out: for ' +
    "`7d` summed from the daily activity rollup, for `30d`, `90d` and `365d` the latest metrics' " +
    '`commits_30d`, `commits_90d`, `commits_365d`. Metrics are as of their last computation, which follows ' +
    'each crawl or change. Ties go by an internal id (the newest repository first), so the order is stable. ' +
    '`languages`: per language, the repositories using it and their bytes of it (a repository whose byte counts ' +
    'are unknown counts its primary language with 0 bytes), `share` being the share of all bytes. A scoped ' +
    "caller's trends are computed over the owners, hosts and languages of its scope only; `filters` echoes " +
    'the filters asked for.',
  parameters: [
    {
      name: 'window',
      in: 'query',
      description: 'The trend window; default `30d`',
      schema: { type: 'string', enum: Object.keys(trendWindows) },
    },
    {
      name: 'language',
      in: 'query',
      description: 'Only repositories of this primary language, matched without regard to case',
      schema: { type: 'string', minLength: 1, maxLength: 100 },
    },
    {
      name: 'owner',
      in: 'query',
      description: 'Only repositories of this owner (organisation or user), matched without regard to case',
      schema: { type: 'string', minLength: 1, maxLength: 100 },
    },
    {
      name: 'host',
      in: 'query',
      description: 'Only repositories of this host (e.g. `github.com`); default: every host',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    },
    {
      name: 'scope',
      in: 'query',
      description:
        '`active`: only repositories with a non-merge commit in the last 90 days (as the organisation ' +
        'portfolio counts them); default `all`',
      schema: { type: 'string', enum: [...trendScopes] },
    },
    {
      name: 'limit',
      in: 'query',
      description: `How many repositories \`fastestGrowing\` and \`mostActive\` list at most, 1-${maxTrendLimit}; default ${defaultTrendLimit}; either capped to the scope's \`maxLimit\``,
      schema: { type: 'string', pattern: '^(100|[1-9][0-9]?)$' },
    },
  ],
  responseSchema: { $ref: '#/components/schemas/Trends' },
};

const nullableString = { type: ['string', 'null'] };

const trendingRepository = (measure: string, description: string) => ({
  type: 'object',
  properties: {
    host: { type: 'string' },
    owner: { type: 'string' },
    name: { type: 'string' },
    primaryLanguage: nullableString,
    stars: { type: ['integer', 'null'] },
    [measure]: { type: 'integer', minimum: 1, description },
    healthScore: { type: ['number', 'null'], description: '0-100, null before the first computation' },
  },
  required: ['host', 'owner', 'name', 'primaryLanguage', 'stars', measure, 'healthScore'],
});

export const trendsComponents: SchemaComponents = {
  GrowingRepository: trendingRepository('starsGained', 'net stars gained in the window'),
  ActiveRepository: trendingRepository('commits', 'non-merge commits authored in the window'),
  Trends: {
    type: 'object',
    properties: {
      window: { type: 'string', enum: Object.keys(trendWindows) },
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
      filters: {
        type: 'object',
        properties: {
          language: nullableString,
          owner: nullableString,
          host: nullableString,
          scope: { type: 'string', enum: [...trendScopes] },
        },
        required: ['language', 'owner', 'host', 'scope'],
      },
      fastestGrowing: { type: 'array', items: { $ref: '#/components/schemas/GrowingRepository' } },
      mostActive: { type: 'array', items: { $ref: '#/components/schemas/ActiveRepository' } },
      languages: { type: 'array', items: { $ref: '#/components/schemas/LanguageShare' } },
    },
    required: ['window', 'from', 'to', 'filters', 'fastestGrowing', 'mostActive', 'languages'],
  },
};
