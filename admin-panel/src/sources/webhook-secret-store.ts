import type { Queryable } from '@repopulse/core';
import type { SourceRecord } from './source-store.js';

/** Sets (or replaces) a source's webhook secret; undefined when there is no such source. */
export async function setWebhookSecret(
  database: Queryable,
  id: string,
  secret: string | null,
): Promise<Pick<SourceRecord, 'id' | 'kind' | 'target'> | undefined> {
  const { rows } = await database.query<Pick<SourceRecord, 'id' | 'kind' | 'target'>>(
    `UPDATE sources SET webhook_secret = $2, updated_at = now() WHERE sources.id = $1
     RETURNING sources.id::text AS id, sources.kind, sources.target`,
    [id, secret],
  );
  return rows[0];
}
