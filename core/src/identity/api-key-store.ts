import type { Queryable } from '../db/index.js';
import { BadRequestError } from '../errors/index.js';
import { apiKeySecretMatches, generateApiKey, hashApiKeySecret, parseApiKey } from './api-key-format.js';
import type { Identity, Role, Scopes } from './identity.js';
import { checkScopes } from './scopes-schema.js';
import { checkRoles, isRowId } from './user-store.js';

/** A key as the admin API lists it: never its secret nor the secret's hash. */
export interface ApiKey {
  id: string;
  keyId: string;
  name: string;
  role: Role;
  scopes: Scopes;
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface NewApiKey {
  name: string;
  role: string;
  scopes?: Scopes;
  expiresAt?: Date | null;
  /** The user (id) who made the key. */
  createdBy?: string | null;
}

/** The answer to creating a key: the only time `key` is ever shown. */
export interface CreatedApiKey {
  id: string;
  key: string;
  keyId: string;
  name: string;
  role: Role;
  scopes: Scopes;
  expiresAt: Date | null;
  createdAt: Date;
}

export type ApiKeyCheck = { status: 'valid'; identity: Identity } | { status: 'expired' | 'invalid' };

const apiKeyColumns = `api_keys.id::text AS id, api_keys.key_id AS "keyId", api_keys.name, api_keys.role,
  api_keys.scopes, api_keys.expires_at AS "expiresAt", api_keys.revoked_at AS "revokedAt",
  api_keys.created_by::text AS "createdBy", api_keys.created_at AS "createdAt",
  api_keys.last_used_at AS "lastUsedAt"`;

// Compared against when no row has the presented key id, so an unknown key costs what a known one does.
const absentSecretHash = hashApiKeySecret('no key has this secret');

export async function createApiKey(queryable: Queryable, newKey: NewApiKey): Promise<CreatedApiKey> {
  const name = newKey.name.trim();
  if (name === '' || name.length > 200) throw new BadRequestError('A key name has 1 to 200 characters');
  const [role] = checkRoles([newKey.role]);
  const scopes = checkScopes(newKey.scopes ?? {});
  const expiresAt = newKey.expiresAt ?? null;
  if (expiresAt !== null && !(expiresAt.getTime() > Date.now())) {
    throw new BadRequestError('expiresAt must be a time in the future');
  }
  if (newKey.createdBy != null && !isRowId(newKey.createdBy)) {
    throw new BadRequestError('createdBy must be the id of a user');
  }
  const generated = generateApiKey();
  const row = await insertApiKey(queryable, {
    keyId: generated.keyId,
    secretHash: hashApiKeySecret(generated.secret),
    name,
    role: role!,
    scopes,
    expiresAt,
    createdBy: newKey.createdBy ?? null,
  });
  return { ...row, key: generated.key };
}

async function insertApiKey(
  queryable: Queryable,
  row: {
    keyId: string;
    secretHash: string;
    name: string;
    role: Role;
    scopes: Scopes;
    expiresAt: Date | null;
    createdBy: string | null;
  },
): Promise<Omit<CreatedApiKey, 'key'>> {
  try {
    const { rows } = await queryable.query<Omit<CreatedApiKey, 'key'>>(
      `INSERT INTO api_keys (key_id, secret_hash, name, role, scopes, expires_at, created_by)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)
     RETURNING api_keys.id::text AS id, api_keys.key_id AS "keyId", api_keys.name, api_keys.role,
       api_keys.scopes, api_keys.expires_at AS "expiresAt", api_keys.created_at AS "createdAt"`,
      [
        row.keyId,
        row.secretHash,
        row.name,
        row.role,
        JSON.stringify(row.scopes),
        row.expiresAt,
        row.createdBy,
      ],
    );
    return rows[0]!;
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === '23503') {
      throw new BadRequestError(`createdBy names no user (${row.createdBy})`);
    }
    throw error;
  }
}

/**
 * Why a presented key is refused, for the caller to tell "expired" from the rest. The secret is checked
 * first: only the holder of the real secret learns that the key expired; anyone else reads "invalid".
 * Expiry is judged by the database clock, the same for every replica.
 */
export async function checkApiKey(queryable: Queryable, key: string): Promise<ApiKeyCheck> {
  const parts = parseApiKey(key);
  if (!parts) return { status: 'invalid' };
  const { rows } = await queryable.query<{
    id: string;
    name: string;
    role: Role;
    scopes: Scopes;
    secretHash: string;
    revoked: boolean;
    expired: boolean;
  }>(
    `SELECT api_keys.id::text AS id, api_keys.name, api_keys.role, api_keys.scopes,
       api_keys.secret_hash AS "secretHash", api_keys.revoked_at IS NOT NULL AS revoked,
       coalesce(api_keys.expires_at <= now(), false) AS expired
     FROM api_keys WHERE api_keys.key_id = $1`,
    [parts.keyId],
  );
  const row = rows[0];
  const matches = apiKeySecretMatches(parts.secret, row?.secretHash ?? absentSecretHash);
  if (!row || !matches || row.revoked) return { status: 'invalid' };
  if (row.expired) return { status: 'expired' };
  return {
    status: 'valid',
    identity: { kind: 'api-key', id: row.id, name: row.name, roles: [row.role], scopes: row.scopes },
  };
}

/** The identity behind a key; undefined for a malformed, unknown, wrong, revoked or expired one. */
export async function findApiKeyIdentity(queryable: Queryable, key: string): Promise<Identity | undefined> {
  const check = await checkApiKey(queryable, key);
  return check.status === 'valid' ? check.identity : undefined;
}

export async function listApiKeys(queryable: Queryable): Promise<ApiKey[]> {
  const { rows } = await queryable.query<ApiKey>(
    `SELECT ${apiKeyColumns} FROM api_keys ORDER BY api_keys.id`,
  );
  return rows;
}

export async function findApiKeyById(queryable: Queryable, id: string): Promise<ApiKey | undefined> {
  if (!isRowId(id)) return undefined;
  const { rows } = await queryable.query<ApiKey>(
    `SELECT ${apiKeyColumns} FROM api_keys WHERE api_keys.id = $1`,
    [id],
  );
  return rows[0];
}

/**
 * True when a key with this id exists (revoked now or before). The row stays, so audit and usage rows
 * still name it; every proxy replica hears of the revocation (migration 0017) and refuses the key at once.
 */
export async function revokeApiKey(queryable: Queryable, id: string): Promise<boolean> {
  if (!isRowId(id)) return false;
  const { rowCount } = await queryable.query(
    `UPDATE api_keys SET revoked_at = coalesce(api_keys.revoked_at, now()) WHERE api_keys.id = $1`,
    [id],
  );
  return rowCount > 0;
}

/**
 * Marks a key used. The condition makes a second replica's touch within the same minute a no-op that
 * writes nothing, so the row is not rewritten on every request.
 */
export async function touchApiKey(queryable: Queryable, id: string): Promise<void> {
  await queryable.query(
    `UPDATE api_keys SET last_used_at = now()
     WHERE api_keys.id = $1 AND (api_keys.last_used_at IS NULL OR api_keys.last_used_at < now() - interval '1 minute')`,
    [id],
  );
}
