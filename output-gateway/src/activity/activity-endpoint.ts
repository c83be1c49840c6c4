import {
  formatParameter,
  hostParameter,
  nameParameter,
  ownerParameter,
  type EndpointSpec,
  type SchemaComponents,
} from '../openapi/endpoint-spec.js';
import { intervals } from '../time-range/time-range.js';

export const activityEndpoint: EndpointSpec = {
  path: '/repositories/{owner}/{name}/activity',
  operationId: 'getRepositoryActivity',
  summary: 'Activity of one repository per interval (UTC), zero-filled',
  parameters: [
    ownerParameter,
    nameParameter,
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
      description: 'Bucket size (weeks start on Monday)',
      schema: { type: 'string', enum: [...intervals] },
    },
    hostParameter,
    formatParameter,
  ],
  responseSchema: { $ref: '#/components/schemas/ActivitySeries' },
  notFound: 'No such repository',
  csv: true,
};

const count = { type: 'integer', minimum: 0 };

export const activityComponents: SchemaComponents = {
  RepositoryIdentity: {
    type: 'object',
    properties: { host: { type: 'string' }, owner: { type: 'string' }, name: { type: 'string' } },
    required: ['host', 'owner', 'name'],
  },
  ActivityBucket: {
    type: 'object',
    properties: {
      start: { type: 'string', format: 'date-time' },
      commits: count,
      pullRequestsOpened: count,
      pullRequestsMerged: count,
      issuesOpened: count,
      issuesClosed: count,
      releases: count,
      stars: count,
      forks: count,
    },
    required: [
      'start',
      'commits',
      'pullRequestsOpened',
      'pullRequestsMerged',
      'issuesOpened',
      'issuesClosed',
      'releases',
      'stars',
      'forks',
    ],
  },
  ActivitySeries: {
    type: 'object',
    properties: {
      repository: { $ref: '#/components/schemas/RepositoryIdentity' },
      interval: { type: 'string', enum: [...intervals] },
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
      series: { type: 'array', items: { $ref: '#/components/schemas/ActivityBucket' } },
    },
    required: ['repository', 'interval', 'from', 'to', 'series'],
  },
};
