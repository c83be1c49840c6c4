import type { Queryable, RepositoryReference } from '@repopulse/core';

/** Finds or creates the repository row (matched without regard to case) and returns its id. */
export async function upsertRepository(
  transaction: Queryable,
  repository: RepositoryReference,
): Promise<string> {
  const { rows } = await transaction.query<{ id: string }>(
    `INSERT INTO repositories (host, owner, name) VALUES (lower($1), $2, $3)
     ON CONFLICT (lower(host), lower(owner), lower(name)) DO UPDATE SET updated_at = now()
     RETURNING repositories.id`,
    [repository.host, repository.owner, repository.name],
  );
  return rows[0]!.id;
}
