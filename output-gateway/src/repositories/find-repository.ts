import type { Queryable } from '@repopulse/core';

export interface RepositoryIdentity {
  host: string;
  owner: string;
  name: string;
}

export interface Repository extends RepositoryIdentity {
  /** bigint in PostgreSQL, so a string here. */
  id: string;
}

/**
 * The repository with this host, owner and name, compared without regard to case as GitHub does (the
 * unique index is on the lowered columns, so this is an index lookup). Reports the stored spelling.
 */
export async function findRepository(
  database: Queryable,
  identity: RepositoryIdentity,
): Promise<Repository | undefined> {
  const result = await database.query<Repository>(
    `SELECT repositories.id::text AS id, repositories.host, repositories.owner, repositories.name
       FROM repositories
      WHERE lower(repositories.host) = lower($1)
        AND lower(repositories.owner) = lower($2)
        AND lower(repositories.name) = lower($3)`,
    [identity.host, identity.owner, identity.name],
  );
  return result.rows[0];
}
