import {
  maxPasswordLength,
  minPasswordLength,
  roles,
  scopesSchema,
  type Role,
  type Scopes,
} from '@repopulse/core';

// The same rules as core's user store and the users table, said here so that a bad field is a 422
// naming it rather than the store's 400.
const properties = {
  username: {
    type: 'string',
    pattern: '^[A-Za-z0-9._@-]{1,100}$',
    description: '1 to 100 letters, digits, dots, dashes, underscores or @',
  },
  password: { type: 'string', minLength: minPasswordLength, maxLength: maxPasswordLength },
  roles: { type: 'array', uniqueItems: true, maxItems: roles.length, items: { enum: roles } },
  disabled: { type: 'boolean' },
  scopes: scopesSchema,
} as const;

/** `POST /api/users`. */
export const newUserSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:repopulse:schema:new-user',
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password', 'roles'],
  properties: {
    username: properties.username,
    password: properties.password,
    roles: properties.roles,
    scopes: properties.scopes,
  },
} as const;

/** `PATCH /api/users/{id}`: any of the fields, at least one. */
export const userChangeSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:repopulse:schema:user-change',
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    password: properties.password,
    roles: properties.roles,
    disabled: properties.disabled,
    scopes: properties.scopes,
  },
} as const;

export interface NewUserBody {
  username: string;
  password: string;
  roles: Role[];
  scopes?: Scopes;
}

export interface UserChangeBody {
  password?: string;
  roles?: Role[];
  disabled?: boolean;
  scopes?: Scopes;
}
