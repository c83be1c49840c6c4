import { hostParameter, type EndpointSpec, type SchemaComponents } from '../openapi/endpoint-spec.js';
import { metricNamesParameter } from '../metrics/metric-names-parameter.js';
import { timeRangeParameters } from '../metrics/metric-series-endpoint.js';
import { intervals } from '../time-range/time-range.js';

export const minCompared = 2;
export const maxCompared = 5;

export const compareEndpoint: EndpointSpec = {
  path: '/compare',
  operationId: 'compareRepositories',
  summary: 'Several repositories side by side: latest metrics and health, optionally their series',
  description:
    `From ${minCompared} to ${maxCompared} repositories, in the order given: each with its health score and ` +
    'the latest values of the named metrics (`null` when unknown, or when its metrics were never computed: ' +
    'then `computedAt` is null too). With any of `from`, `to` or `interval`, each also carries the series of ' +
    'those metrics over the same buckets, as `GET /repositories/{owner}/{name}/metrics` reads them, so they ' +
    'can be overlaid.',
  parameters: [
    {
      name: 'repos',
      in: 'query',
      description: `${minCompared} to ${maxCompared} repositories as owner/name, comma-separated, matched without regard to case`,
      required: true,
      schema: { type: 'string', minLength: 3, maxLength: 1100 },
      example: 'acme/widgets,acme/gadgets',
    },
    metricNamesParameter('default: every metric of docs/METRICS.md'),
    ...timeRangeParameters,
    { ...hostParameter, description: `${hostParameter.description}; one host for all the repositories` },
  ],
  responseSchema: { $ref: '#/components/schemas/Comparison' },
  notFound: 'A repository listed in `repos` is unknown; the detail names each',
};

export const compareComponents: SchemaComponents = {
  ComparedRepository: {
    type: 'object',
    properties: {
      repository: { $ref: '#/components/schemas/RepositoryIdentity' },
      computedAt: { type: ['string', 'null'], format: 'date-time' },
      healthScore: { type: ['number', 'null'], minimum: 0, maximum: 100 },
      metrics: { $ref: '#/components/schemas/MetricValues' },
      series: {
        type: 'array',
        description: 'Present when a time range was asked for',
        items: { $ref: '#/components/schemas/MetricSeriesBucket' },
      },
    },
    required: ['repository', 'computedAt', 'healthScore', 'metrics'],
  },
  Comparison: {
    type: 'object',
    properties: {
      names: { type: 'array', items: { type: 'string' } },
      repositories: { type: 'array', items: { $ref: '#/components/schemas/ComparedRepository' } },
      interval: { type: 'string', enum: [...intervals], description: 'With a series' },
      from: { type: 'string', format: 'date-time', description: 'With a series' },
      to: { type: 'string', format: 'date-time', description: 'With a series' },
    },
    required: ['names', 'repositories'],
  },
};
