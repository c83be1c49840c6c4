import type { Queryable } from '@repopulse/core';

export interface SourceRow {
  kind: 'github-org' | 'github-user' | 'github-repo' | 'git';
  target: string;
  webhookSecret?: string | null;
  enabled?: boolean;
}

/** Adds a source as the admin API would, and returns its id. */
export async function insertSource(database: Queryable, source: SourceRow): Promise<number> {
  const result = await database.query<{ id: string }>(
    `INSERT INTO sources (kind, target, webhook_secret, enabled) VALUES ($1, $2, $3, $4) RETURNING sources.id`,
    [source.kind, source.target, source.webhookSecret ?? null, source.enabled ?? true],
  );
  return Number(result.rows[0]!.id);
}

export async function setSourceSecret(
  database: Queryable,
  id: number,
  webhookSecret: string | null,
): Promise<void> {
  await database.query(`UPDATE sources SET webhook_secret = $2, updated_at = now() WHERE sources.id = $1`, [
    id,
    webhookSecret,
  ]);
}
