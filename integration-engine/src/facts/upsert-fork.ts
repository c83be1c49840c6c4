import type { Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';
import type { ForkFact } from './fact-types.js';

/** A fork is created once; seeing it again changes nothing. */
export async function upsertFork(
  transaction: Queryable,
  repositoryId: string,
  fork: ForkFact,
  touched: TouchedDays,
): Promise<void> {
  const { rows } = await transaction.query<{ forked_at: Date }>(
    `INSERT INTO forks AS f (repository_id, fork_owner, fork_name, actor_login, forked_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (repository_id, fork_owner, fork_name) DO NOTHING
     RETURNING f.forked_at`,
    [repositoryId, fork.forkOwner, fork.forkName, fork.actorLogin ?? null, fork.forkedAt],
  );
  touched.add(repositoryId, rows[0]?.forked_at);
}
