import { ConflictError, type Queryable } from '@repopulse/core';
import type { SourceFields } from './source-schema.js';

export interface SourceRecord extends SourceFields {
  id: string;
  webhookSecretSet: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const columns = `sources.id::text AS id, sources.kind, sources.target, sources.schedule, sources.enabled,
  (sources.webhook_secret IS NOT NULL) AS "webhookSecretSet", sources.created_at AS "createdAt",
  sources.updated_at AS "updatedAt"`;

const uniqueViolation = '23505';

function conflictOnDuplicate(error: unknown, fields: Pick<SourceFields, 'kind' | 'target'>): never {
  if ((error as { code?: string }).code === uniqueViolation) {
    throw new ConflictError(`A ${fields.kind} source for "${fields.target}" exists already`);
  }
  throw error;
}

export async function listSources(database: Queryable): Promise<SourceRecord[]> {
  const { rows } = await database.query<SourceRecord>(`SELECT ${columns} FROM sources ORDER BY sources.id`);
  return rows;
}

export async function findSource(database: Queryable, id: string): Promise<SourceRecord | undefined> {
  const { rows } = await database.query<SourceRecord>(
    `SELECT ${columns} FROM sources WHERE sources.id = $1`,
    [id],
  );
  return rows[0];
}

export async function insertSource(database: Queryable, source: SourceFields): Promise<SourceRecord> {
  try {
    const { rows } = await database.query<SourceRecord>(
      `INSERT INTO sources (kind, target, schedule, enabled) VALUES ($1, $2, $3, $4) RETURNING ${columns}`,
      [source.kind, source.target, source.schedule, source.enabled],
    );
    return rows[0]!;
  } catch (error) {
    conflictOnDuplicate(error, source);
  }
}

/** Writes the whole row (the caller merged the change) and marks it edited, which cron reads as new. */
export async function updateSource(
  database: Queryable,
  id: string,
  source: SourceFields,
): Promise<SourceRecord | undefined> {
  try {
    const { rows } = await database.query<SourceRecord>(
      `UPDATE sources SET kind = $2, target = $3, schedule = $4, enabled = $5, updated_at = now()
        WHERE sources.id = $1 RETURNING ${columns}`,
      [id, source.kind, source.target, source.schedule, source.enabled],
    );
    return rows[0];
  } catch (error) {
    conflictOnDuplicate(error, source);
  }
}

export async function deleteSource(database: Queryable, id: string): Promise<SourceRecord | undefined> {
  const { rows } = await database.query<SourceRecord>(
    `DELETE FROM sources WHERE sources.id = $1 RETURNING ${columns}`,
    [id],
  );
  return rows[0];
}
