import type { AclRuleFields } from './acl-rule-store.js';

export const aclMethods = ['*', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
/** Roles, plus the proxy's two pseudo-roles: `anyone` (no credentials) and `authenticated` (any). */
export const aclRoles = ['anyone', 'authenticated', 'admin', 'analyst', 'supplier'] as const;

const rateLimit = { type: ['integer', 'null'], minimum: 1, maximum: 1_000_000 } as const;

const properties = {
  priority: { type: 'integer', minimum: 0, maximum: 1_000_000 },
  methods: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: aclMethods } },
  pathPattern: { type: 'string', minLength: 1, maxLength: 500 },
  roles: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: aclRoles } },
  rateLimitPerMinute: rateLimit,
  rateLimitBurst: rateLimit,
  description: { type: 'string', maxLength: 500 },
} as const;

/** `POST /api/acl-rules`. */
export const newAclRuleSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:repopulse:schema:new-acl-rule',
  type: 'object',
  additionalProperties: false,
  required: ['priority', 'methods', 'pathPattern', 'roles'],
  properties,
} as const;

/** `PATCH /api/acl-rules/{id}`: any of the fields, at least one. */
export const aclRuleChangeSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:repopulse:schema:acl-rule-change',
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties,
} as const;

export type NewAclRule = Pick<AclRuleFields, 'priority' | 'methods' | 'pathPattern' | 'roles'> &
  Partial<AclRuleFields>;
export type AclRuleChange = Partial<AclRuleFields>;
