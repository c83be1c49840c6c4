import { instantKeyword, instantRule } from '../validation/storable-instant.js';
import { int4, storableTextPattern } from '../validation/storable-values.js';

/**
 * The generic batch format (docs/DESIGN.md, "Input gateway") for suppliers that are not GitHub: other forges,
 * imports, backfills. `type` decides which `action`s and which `data` fields are allowed. This schema is
 * validated at the input gateway, again by the engine, and published in the OpenAPI document.
 *
 * Everything it accepts PostgreSQL can store: integers within their columns (`integer`), times within
 * `x-instant` (`storable-instant.ts`), text without U+0000 or unpaired surrogates (`storableTextPattern`).
 */

/** Free text: what PostgreSQL can hold, at most `maxLength` characters. */
const text = (maxLength: number, minLength = 0) =>
  ({
    type: 'string',
    ...(minLength > 0 ? { minLength } : {}),
    maxLength,
    pattern: storableTextPattern,
  }) as const;

const login = text(100, 1);
const timestamp = {
  type: 'string',
  format: 'date-time',
  [instantKeyword]: instantRule,
  description:
    'An RFC 3339 time PostgreSQL stores as sent: seconds 00-59, at most 6 decimals, an offset within ±15:59; ' +
    'from 1970-01-01T00:00:00Z to one day after it is received.',
} as const;
const count = { type: 'integer', minimum: 0, maximum: int4.maximum } as const;
const number = { type: 'integer', minimum: 1, maximum: int4.maximum } as const;
/** An owner or a repository name, as every forge spells them (the webhook mapping checks GitHub's too). */
export const repositorySegmentPattern = '^[A-Za-z0-9._-]{1,100}$';
const segment = { type: 'string', pattern: repositorySegmentPattern } as const;
/** A git object id, SHA-1 or SHA-256. */
export const shaPattern = '^[0-9a-f]{40}([0-9a-f]{24})?$';
const sha = { type: 'string', pattern: shaPattern } as const;
const person = {
  type: 'object',
  additionalProperties: false,
  properties: { name: text(200), email: text(320), login },
} as const;

const repository = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'owner', 'name'],
  properties: {
    host: {
      type: 'string',
      pattern:
        '^(local|[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+)$',
    },
    owner: segment,
    name: segment,
  },
} as const;

const actor = {
  type: 'object',
  additionalProperties: false,
  properties: { login, email: { ...text(320), format: 'email' } },
} as const;

function eventOf(
  type: string,
  actions: string[],
  data: object,
  options: { actorLoginRequired?: boolean } = {},
) {
  return {
    type: 'object',
    additionalProperties: false,
    required: [
      'id',
      'type',
      'action',
      'repository',
      'occurredAt',
      'data',
      ...(options.actorLoginRequired ? ['actor'] : []),
    ],
    properties: {
      id: text(200, 1),
      type: { const: type },
      action: { enum: actions },
      repository,
      occurredAt: timestamp,
      actor: options.actorLoginRequired ? { ...actor, required: ['login'] } : actor,
      data,
    },
  };
}

const commitData = {
  type: 'object',
  additionalProperties: false,
  required: ['sha'],
  properties: {
    sha,
    message: text(100_000),
    authoredAt: timestamp,
    committedAt: timestamp,
    author: person,
    parents: { type: 'array', items: sha, maxItems: 64 },
    additions: count,
    deletions: count,
  },
} as const;

const pullRequestData = {
  type: 'object',
  additionalProperties: false,
  required: ['number'],
  properties: {
    number,
    title: text(1_000),
    author: person,
    createdAt: timestamp,
    mergedAt: timestamp,
    closedAt: timestamp,
  },
} as const;

const issueData = {
  type: 'object',
  additionalProperties: false,
  required: ['number'],
  properties: {
    number,
    title: text(1_000),
    author: person,
    createdAt: timestamp,
    closedAt: timestamp,
  },
} as const;

const releaseData = {
  type: 'object',
  additionalProperties: false,
  required: ['tag'],
  properties: {
    tag: text(255, 1),
    name: text(1_000),
    publishedAt: timestamp,
  },
} as const;

const emptyData = { type: 'object', additionalProperties: false, properties: {} } as const;

const forkData = {
  type: 'object',
  additionalProperties: false,
  required: ['fork'],
  properties: {
    fork: {
      type: 'object',
      additionalProperties: false,
      required: ['owner', 'name'],
      properties: { owner: segment, name: segment },
    },
  },
} as const;

export const genericEventTypes = ['commit', 'pull_request', 'issue', 'release', 'star', 'fork'] as const;

/** The batch schema with the configured cap on events per batch. */
export function genericEventBatchSchema(maxEvents: number) {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:repopulse:schema:generic-event-batch',
    title: 'Generic event batch',
    type: 'object',
    additionalProperties: false,
    required: ['source', 'events'],
    properties: {
      source: { type: 'string', pattern: '^[A-Za-z0-9._:/-]{1,100}$' },
      events: {
        type: 'array',
        minItems: 1,
        maxItems: maxEvents,
        items: {
          type: 'object',
          required: ['type'],
          // Ajv's strict mode wants every required property declared next to `required`.
          properties: { type: { enum: [...genericEventTypes] } },
          discriminator: { propertyName: 'type' },
          oneOf: [
            eventOf('commit', ['pushed'], commitData),
            eventOf('pull_request', ['opened', 'closed', 'merged', 'reopened', 'edited'], pullRequestData),
            eventOf('issue', ['opened', 'closed', 'reopened', 'edited'], issueData),
            eventOf('release', ['published', 'deleted'], releaseData),
            eventOf('star', ['created', 'deleted'], emptyData, { actorLoginRequired: true }),
            eventOf('fork', ['created'], forkData),
          ],
        },
      },
    },
  };
}
