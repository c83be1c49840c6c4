import type { Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';
import { writeInRounds, type FactStatements, type RepositoryFact } from './batch-upsert-rounds.js';
import type { CommitFact } from './fact-types.js';

interface CommitRow {
  repository_id: string;
  sha: string;
  /** A Date as PostgreSQL returns it, or the change's own RFC 3339 time for a commit just inserted. */
  authored_at: Date | string;
  is_merge: boolean;
}

// Rows go in key order (byte order for text), so concurrent writers of the same commits lock them in one order.
const insertCommits = `
  INSERT INTO commits AS c (repository_id, sha, authored_at, committed_at, author_name, author_email, author_login,
    message, additions, deletions, is_merge)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[],
    $7::text[], $8::text[], $9::integer[], $10::integer[], $11::boolean[])
    AS input (repository_id, sha, authored_at, committed_at, author_name, author_email, author_login, message,
      additions, deletions, is_merge)
  ORDER BY input.repository_id, input.sha COLLATE "C"`;

const returning = 'RETURNING c.repository_id::text AS repository_id, c.sha, c.authored_at, c.is_merge';

/** As `upsertCommit`: a commit is immutable by its sha; a later write only fills in what an earlier one lacked. */
const commitStatements: FactStatements<CommitFact, CommitRow> = {
  keyOf: (commit) => [commit.sha],
  keyOfRow: (row) => [row.sha],
  parameters: (round) => [
    round.map((item) => item.repositoryId),
    round.map((item) => item.fact.sha),
    round.map((item) => item.fact.authoredAt),
    round.map((item) => item.fact.committedAt ?? null),
    round.map((item) => item.fact.authorName ?? null),
    round.map((item) => item.fact.authorEmail?.toLowerCase() ?? null),
    round.map((item) => item.fact.authorLogin ?? null),
    round.map((item) => item.fact.message ?? null),
    round.map((item) => item.fact.additions ?? null),
    round.map((item) => item.fact.deletions ?? null),
    round.map((item) => item.fact.isMerge),
  ],
  // Commits are most of any import: the inserted ones come back as their keys only, their rows are the input.
  insertNew: `${insertCommits} ON CONFLICT (repository_id, sha) DO NOTHING
    RETURNING c.repository_id::text AS repository_id, c.sha`,
  newRow: (item) => ({
    repository_id: item.repositoryId,
    sha: item.fact.sha,
    authored_at: item.fact.authoredAt,
    is_merge: item.fact.isMerge,
  }),
  stored: {
    keyParameters: (round) => [round.map((item) => item.repositoryId), round.map((item) => item.fact.sha)],
    lock: `
      SELECT c.repository_id::text AS repository_id, c.sha, c.authored_at, c.is_merge
      FROM commits c JOIN unnest($1::bigint[], $2::text[]) AS stored (repository_id, sha)
        ON c.repository_id = stored.repository_id AND c.sha = stored.sha
      ORDER BY c.repository_id, c.sha COLLATE "C"
      FOR NO KEY UPDATE OF c`,
    upsert: `${insertCommits}
      ON CONFLICT (repository_id, sha) DO UPDATE SET
        authored_at = EXCLUDED.authored_at,
        committed_at = coalesce(EXCLUDED.committed_at, c.committed_at),
        author_name = coalesce(EXCLUDED.author_name, c.author_name),
        author_email = coalesce(EXCLUDED.author_email, c.author_email),
        author_login = coalesce(EXCLUDED.author_login, c.author_login),
        message = coalesce(EXCLUDED.message, c.message),
        additions = coalesce(EXCLUDED.additions, c.additions),
        deletions = coalesce(EXCLUDED.deletions, c.deletions),
        is_merge = EXCLUDED.is_merge
      ${returning}`,
  },
  times: (row) => [row.authored_at],
  counts: (row) => (row.is_merge ? [] : [['commits', row.authored_at]]),
};

/** `upsertCommit` for many commits, with the same effect as writing them one at a time in order. */
export async function batchUpsertCommits(
  transaction: Queryable,
  commits: ReadonlyArray<RepositoryFact<CommitFact>>,
  touched: TouchedDays,
): Promise<void> {
  await writeInRounds(transaction, commitStatements, commits, touched);
}
