import {
  createRouter,
  apiKeyPrefix,
  compileValidator,
  createApiKey,
  findApiKeyById,
  findUserById,
  jsonBody,
  listApiKeys,
  NotFoundError,
  recordAudit,
  revokeApiKey,
  roles,
  SchemaViolationError,
  scopesSchema,
  type ApiKey,
  type Database,
  type Role,
  type Scopes,
} from '@repopulse/core';
import { type Router } from 'express';
import { adminChange, callerUserId } from '../http/admin-identity.js';
import { rowIdOf } from '../http/row-id.js';

const newApiKeySchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:repopulse:schema:new-api-key',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'role'],
  properties: {
    name: { type: 'string', maxLength: 200, pattern: '\\S', description: 'not blank' },
    role: { enum: roles },
    expiresAt: { type: ['string', 'null'], format: 'date-time' },
    scopes: scopesSchema,
  },
} as const;

interface NewApiKeyBody {
  name: string;
  role: Role;
  expiresAt?: string | null;
  scopes?: Scopes;
}

/** What a key shows of itself: `rp_<keyId>`, enough to recognise it in a config file, never the secret. */
const visiblePrefix = (keyId: string) => `${apiKeyPrefix}${keyId}`;

function apiKeyView(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    prefix: visiblePrefix(key.keyId),
    scopes: key.scopes,
    createdBy: key.createdBy,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

function expiryOf(body: NewApiKeyBody): Date | null {
  if (body.expiresAt == null) return null;
  const expiresAt = new Date(body.expiresAt);
  if (!(expiresAt.getTime() > Date.now())) {
    throw new SchemaViolationError('The key cannot be made as given', [
      { path: '/expiresAt', message: 'must be a time in the future' },
    ]);
  }
  return expiresAt;
}

/**
 * `GET|POST /api/api-keys`, `DELETE /api/api-keys/{id}`. A key is shown once, when made, and stored as a
 * hash; revoking keeps the row (audit and usage rows still name it). Every proxy replica refuses a revoked
 * key at once (migration 0017 notifies them).
 */
export function apiKeysRoutes(options: { database: Database }): Router {
  const { database } = options;
  const validateNew = compileValidator<NewApiKeyBody>(newApiKeySchema, 'The API key');
  const router = createRouter();

  router.get('/api/api-keys', async (_request, response) => {
    const keys = await listApiKeys(database);
    response.json({ apiKeys: keys.reverse().map(apiKeyView) });
  });

  router.post('/api/api-keys', ...jsonBody({ limit: 16 * 1024 }), async (request, response) => {
    const body = validateNew(request.body);
    const expiresAt = expiryOf(body);
    const created = await database.transaction(async (transaction) => {
      // The creator, when it is a user still there (an admin API key makes keys too).
      const userId = callerUserId(request);
      const createdBy = userId && (await findUserById(transaction, userId)) ? userId : null;
      const key = await createApiKey(transaction, { ...body, expiresAt, createdBy });
      await recordAudit(transaction, [
        adminChange(request, 'api-key.create', `api-key:${key.id}`, {
          name: key.name,
          role: key.role,
          expiresAt: key.expiresAt,
        }),
      ]);
      return key;
    });
    response
      .status(201)
      .location(`/api/api-keys/${created.id}`)
      .json({
        id: created.id,
        key: created.key,
        name: created.name,
        role: created.role,
        prefix: visiblePrefix(created.keyId),
        scopes: created.scopes,
        createdAt: created.createdAt.toISOString(),
        expiresAt: created.expiresAt?.toISOString() ?? null,
        lastUsedAt: null,
        revokedAt: null,
      });
  });

  router.delete('/api/api-keys/:id', async (request, response) => {
    const id = rowIdOf(request, 'API key');
    await database.transaction(async (transaction) => {
      const key = await findApiKeyById(transaction, id);
      if (!key || !(await revokeApiKey(transaction, id)))
        throw new NotFoundError(`There is no API key ${id}`);
      await recordAudit(transaction, [
        adminChange(request, 'api-key.revoke', `api-key:${id}`, { name: key.name, role: key.role }),
      ]);
    });
    response.status(204).end();
  });

  return router;
}
