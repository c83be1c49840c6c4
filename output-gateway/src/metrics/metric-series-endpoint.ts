import {
  hostParameter,
  nameParameter,
  ownerParameter,
  type EndpointSpec,
  type QueryParameterSpec,
  type SchemaComponents,
} from '../openapi/endpoint-spec.js';
import { intervals } from '../time-range/time-range.js';
import { healthScoreName, metricNames } from './metric-names.js';
import { metricNamesParameter } from './metric-names-parameter.js';

/** `from`, `to` and `interval`, as the activity series reads them; shared by the series endpoints. */
export const timeRangeParameters: QueryParameterSpec[] = [
  {
    name: 'from',
    in: 'query',
    description: 'Start (inclusive): RFC 3339 instant or YYYY-MM-DD; default: one year before `to`',
    schema: { type: 'string' },
  },
  {
    name: 'to',
    in: 'query',
    description: 'End (exclusive): RFC 3339 instant or YYYY-MM-DD; default: the end of today (UTC)',
    schema: { type: 'string' },
  },
  {
    name: 'interval',
    in: 'query',
    description: 'Bucket size, in UTC (weeks start on Monday); default `week`',
    schema: { type: 'string', enum: [...intervals] },
  },
];

export const metricSeriesEndpoint: EndpointSpec = {
  path: '/repositories/{owner}/{name}/metrics',
  operationId: 'getRepositoryMetricSeries',
  summary: 'Metrics of one repository over time, one value per interval (UTC)',
  description:
    'Read from the daily metric points. A metric is a state, not a count, so each bucket holds the value at ' +
    'its end: the point of the last day within the bucket that has one (for the current bucket, the latest ' +
    'computed day). Buckets cover whole days, weeks and months, from the one holding `from` to the one ' +
    'holding the last instant before `to`, at most 1000. A metric without a point in a bucket, or whose ' +
    'value could not be known then, is `null` there.',
  parameters: [
    ownerParameter,
    nameParameter,
    metricNamesParameter('default: every metric and `health_score`'),
    ...timeRangeParameters,
    hostParameter,
  ],
  responseSchema: { $ref: '#/components/schemas/MetricSeries' },
  notFound: 'No such repository',
};

const metricValue = { type: ['number', 'null'] };

export const metricSeriesComponents: SchemaComponents = {
  MetricValues: {
    type: 'object',
    description:
      'Metric name (docs/METRICS.md) → value, `null` when it cannot be known. The names asked for, or ' +
      'every metric when none were named.',
    properties: Object.fromEntries(
      [...metricNames, healthScoreName].map((name) => [name, metricValue] as const),
    ),
    additionalProperties: metricValue,
  },
  MetricSeriesBucket: {
    type: 'object',
    description: "The bucket's first instant (`start`) and each named metric's value at its end",
    properties: {
      start: { type: 'string', format: 'date-time' },
      ...Object.fromEntries([...metricNames, healthScoreName].map((name) => [name, metricValue] as const)),
    },
    required: ['start'],
    additionalProperties: metricValue,
  },
  MetricSeries: {
    type: 'object',
    properties: {
      repository: { $ref: '#/components/schemas/RepositoryIdentity' },
      names: { type: 'array', items: { type: 'string' } },
      interval: { type: 'string', enum: [...intervals] },
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
      series: { type: 'array', items: { $ref: '#/components/schemas/MetricSeriesBucket' } },
    },
    required: ['repository', 'names', 'interval', 'from', 'to', 'series'],
  },
};
