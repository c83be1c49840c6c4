import type { Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';
import { writeInRounds, type FactStatements, type RepositoryFact } from './batch-upsert-rounds.js';
import type { ForkFact } from './fact-types.js';

interface ForkRow {
  repository_id: string;
  fork_owner: string;
  fork_name: string;
  forked_at: Date;
}

/** As `upsertFork`: a fork is created once; seeing it again changes nothing, so nothing stored is written. */
const forkStatements: FactStatements<ForkFact, ForkRow> = {
  keyOf: (fork) => [fork.forkOwner, fork.forkName],
  keyOfRow: (row) => [row.fork_owner, row.fork_name],
  parameters: (round) => [
    round.map((item) => item.repositoryId),
    round.map((item) => item.fact.forkOwner),
    round.map((item) => item.fact.forkName),
    round.map((item) => item.fact.actorLogin ?? null),
    round.map((item) => item.fact.forkedAt),
  ],
  insertNew: `
    INSERT INTO forks AS f (repository_id, fork_owner, fork_name, actor_login, forked_at)
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
      AS input (repository_id, fork_owner, fork_name, actor_login, forked_at)
    ORDER BY input.repository_id, input.fork_owner COLLATE "C", input.fork_name COLLATE "C"
    ON CONFLICT (repository_id, fork_owner, fork_name) DO NOTHING
    RETURNING f.repository_id::text AS repository_id, f.fork_owner, f.fork_name, f.forked_at`,
  times: (row) => [row.forked_at],
  counts: (row) => [['forks', row.forked_at]],
};

/** `upsertFork` for many forks, with the same effect as writing them one at a time in order. */
export async function batchUpsertForks(
  transaction: Queryable,
  forks: ReadonlyArray<RepositoryFact<ForkFact>>,
  touched: TouchedDays,
): Promise<void> {
  await writeInRounds(transaction, forkStatements, forks, touched);
}
