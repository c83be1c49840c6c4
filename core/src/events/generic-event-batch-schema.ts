/**
 * The generic batch format (DESIGN.md, "Input gateway") for suppliers that are not GitHub: other forges,
 * imports, backfills. `type` decides which `action`s and which `data` fields are allowed. This schema is
 * validated at the input gateway, again by the engine, and published in the OpenAPI document.
 */

const login = { type: 'string', minLength: 1, maxLength: 100 } as const;
const timestamp = { type: 'string', format: 'date-time' } as const;
const segment = { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$' } as const;
const sha = { type: 'string', pattern: '^[0-9a-f]{40}([0-9a-f]{24})?$' } as const;
const person = {
  type: 'object',
  additionalProperties: false,
  properties: { name: { type: 'string', maxLength: 200 }, email: { type: 'string', maxLength: 320 }, login },
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
  properties: { login, email: { type: 'string', format: 'email', maxLength: 320 } },
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
      id: { type: 'string', minLength: 1, maxLength: 200 },
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
    message: { type: 'string', maxLength: 100_000 },
    authoredAt: timestamp,
    committedAt: timestamp,
    author: person,
    parents: { type: 'array', items: sha, maxItems: 64 },
    additions: { type: 'integer', minimum: 0 },
    deletions: { type: 'integer', minimum: 0 },
  },
} as const;

const pullRequestData = {
  type: 'object',
  additionalProperties: false,
  required: ['number'],
  properties: {
    number: { type: 'integer', minimum: 1, maximum: 2_147_483_647 },
    title: { type: 'string', maxLength: 1_000 },
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
    number: { type: 'integer', minimum: 1, maximum: 2_147_483_647 },
    title: { type: 'string', maxLength: 1_000 },
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
    tag: { type: 'string', minLength: 1, maxLength: 255 },
    name: { type: 'string', maxLength: 1_000 },
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
