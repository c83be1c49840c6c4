import { prepared, type Queryable, type RepositoryReference } from '@repopulse/core';

// Every batch's first write: prepared once per connection.
const upsertRepositoryRows = prepared(
  `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS i (host, owner, name, position)
     ), inserted AS (
       INSERT INTO repositories (host, owner, name)
       SELECT lower(input.host), input.owner, input.name FROM input ORDER BY input.position
       ON CONFLICT (lower(host), lower(owner), lower(name)) DO NOTHING
       RETURNING repositories.id, repositories.host, repositories.owner, repositories.name
     )
     SELECT input.position, coalesce(inserted.id, stored.id)::text AS id
     FROM input
     LEFT JOIN inserted ON lower(inserted.host) = lower(input.host) AND lower(inserted.owner) = lower(input.owner)
       AND lower(inserted.name) = lower(input.name)
     LEFT JOIN repositories stored ON lower(stored.host) = lower(input.host) AND lower(stored.owner) = lower(input.owner)
       AND lower(stored.name) = lower(input.name)`,
);

/**
 * Finds or creates many repository rows (matched without regard to case) and returns their ids, in the
 * order given. `DO NOTHING` takes no lock on a row already there, so concurrent batches of one repository
 * do not wait on each other until commit, as `DO UPDATE` would make them. Pass the references sorted, so
 * concurrent inserts of new repositories wait on each other in one order.
 *
 * One statement answers for every row it inserted or could see; a row another transaction committed after
 * the statement began (its insert then did nothing) is invisible to that statement, so those few are
 * read again by a second one.
 */
export async function upsertRepositories(
  transaction: Queryable,
  repositories: readonly RepositoryReference[],
): Promise<string[]> {
  if (repositories.length === 0) return [];
  const columns = [
    repositories.map((repository) => repository.host),
    repositories.map((repository) => repository.owner),
    repositories.map((repository) => repository.name),
  ];
  const { rows } = await transaction.query<{ position: string; id: string | null }>(
    upsertRepositoryRows,
    columns,
  );
  const ids: Array<string | null> = repositories.map(() => null);
  for (const row of rows) ids[Number(row.position) - 1] = row.id;
  if (ids.some((id) => id === null)) await readMissingIds(transaction, columns, ids);
  return ids as string[];
}

async function readMissingIds(
  transaction: Queryable,
  columns: string[][],
  ids: Array<string | null>,
): Promise<void> {
  const { rows } = await transaction.query<{ position: string; id: string }>(
    `SELECT input.position, stored.id::text AS id
     FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS input (host, owner, name, position)
     JOIN repositories stored ON lower(stored.host) = lower(input.host) AND lower(stored.owner) = lower(input.owner)
       AND lower(stored.name) = lower(input.name)`,
    columns,
  );
  for (const row of rows) ids[Number(row.position) - 1] = row.id;
  // Only a repository deleted while its batch was written gets here; the message is retried.
  if (ids.some((id) => id === null)) throw new Error('a repository of the batch was deleted while written');
}
