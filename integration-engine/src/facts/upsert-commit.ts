import type { Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';
import type { CommitFact } from './fact-types.js';

/** A commit is immutable by its sha; a later write only fills in what an earlier one lacked. */
export async function upsertCommit(
  transaction: Queryable,
  repositoryId: string,
  commit: CommitFact,
  touched: TouchedDays,
): Promise<void> {
  const { rows } = await transaction.query<{ authored_at: Date; previous_authored_at: Date | null }>(
    `WITH previous AS (
       SELECT commits.authored_at FROM commits WHERE commits.repository_id = $1 AND commits.sha = $2
     ), written AS (
       INSERT INTO commits AS c (repository_id, sha, authored_at, committed_at, author_name, author_email, author_login,
         message, additions, deletions, is_merge)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
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
       RETURNING c.authored_at
     )
     SELECT written.authored_at, previous.authored_at AS previous_authored_at FROM written LEFT JOIN previous ON true`,
    [
      repositoryId,
      commit.sha,
      commit.authoredAt,
      commit.committedAt ?? null,
      commit.authorName ?? null,
      commit.authorEmail?.toLowerCase() ?? null,
      commit.authorLogin ?? null,
      commit.message ?? null,
      commit.additions ?? null,
      commit.deletions ?? null,
      commit.isMerge,
    ],
  );
  touched.add(repositoryId, rows[0]?.authored_at, rows[0]?.previous_authored_at);
}
