import { sourceKinds, type SourceKind } from '@repopulse/core';

const properties = {
  kind: { enum: sourceKinds },
  target: {
    type: 'string',
    minLength: 1,
    maxLength: 2_000,
    description: 'a GitHub login (github-org, github-user), "owner/name" (github-repo) or a git URL (git)',
  },
  schedule: {
    type: ['string', 'null'],
    maxLength: 200,
    description: 'a cron expression (5 fields, or 6 with seconds first); null for no schedule',
  },
  enabled: { type: 'boolean' },
} as const;

/** `POST /api/sources`. */
export const newSourceSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:repopulse:schema:new-source',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'target'],
  properties,
} as const;

/** `PATCH /api/sources/{id}`: any of the fields, at least one. */
export const sourceChangeSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:repopulse:schema:source-change',
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties,
} as const;

export interface SourceFields {
  kind: SourceKind;
  target: string;
  schedule: string | null;
  enabled: boolean;
}

export type NewSource = Pick<SourceFields, 'kind' | 'target'> & Partial<SourceFields>;
export type SourceChange = Partial<SourceFields>;
