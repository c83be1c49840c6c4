import type { Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';
import type { Contact, GitCommit } from './git-commit-record.js';

/** A commit ready to store: co-authors with the mailmap applied, bot or not. */
export interface GitCommitRow extends GitCommit {
  mappedCoAuthors: Contact[];
  authorIsBot: boolean;
}

// The batch as arrays, one per column, $2…$19 of both statements ($1 is the repository).
const incomingCommits = `SELECT * FROM unnest($2::text[], $3::timestamptz[], $4::smallint[], $5::text[], $6::text[],
    $7::text[], $8::text[], $9::timestamptz[], $10::smallint[], $11::text[], $12::text[], $13::text[],
    $14::integer[], $15::integer[], $16::integer[], $17::boolean[], $18::jsonb[], $19::boolean[])
  AS t (sha, authored_at, author_tz_offset, author_name, author_email, author_original_name, author_original_email,
    committed_at, committer_tz_offset, committer_name, committer_email, message, additions, deletions,
    files_changed, is_merge, co_authors, author_is_bot)`;

/**
 * Writes a batch of commits: the new ones in one INSERT, and only if some were already stored (from a
 * webhook, with fewer fields, or from an earlier crawl) one UPDATE giving those git's values for everything
 * git knows, the GitHub login kept. A row whose values would not change is not rewritten, so a re-read
 * history costs no dead tuples. The UTC days of the author dates written, before and after, are added to
 * `touched`. Returns how many commits were new.
 *
 * Two statements rather than one `ON CONFLICT DO UPDATE`: that cannot tell a row's author date before the
 * update, and looking it up in the same statement made PostgreSQL, whose statistics do not yet know the
 * rows this transaction wrote, plan a scan of the repository's commits (and JIT-compile it) for each batch.
 */
export async function upsertGitCommits(
  transaction: Queryable,
  repositoryId: string,
  rows: GitCommitRow[],
  touched: TouchedDays,
): Promise<{ inserted: number }> {
  const values = [repositoryId, ...toColumns(rows)];
  const inserted = await insertNewCommits(transaction, values);
  for (const day of inserted.days) touched.add(repositoryId, day);
  if (inserted.count < rows.length) {
    for (const day of await updateStoredCommits(transaction, values)) touched.add(repositoryId, day);
  }
  return { inserted: inserted.count };
}

async function insertNewCommits(
  transaction: Queryable,
  values: unknown[],
): Promise<{ count: number; days: string[] }> {
  // A commit another transaction is inserting at the same moment is waited for, then left to the update.
  const { rows } = await transaction.query<{ count: number; days: string[] }>(
    `WITH written AS (
       INSERT INTO commits (repository_id, sha, authored_at, author_tz_offset, author_name, author_email,
         author_original_name, author_original_email, committed_at, committer_tz_offset, committer_name,
         committer_email, message, additions, deletions, files_changed, is_merge, co_authors, author_is_bot)
       SELECT $1, incoming.* FROM (${incomingCommits}) AS incoming
       ON CONFLICT (repository_id, sha) DO NOTHING
       RETURNING commits.authored_at
     )
     SELECT (SELECT count(*) FROM written)::integer AS count,
       ARRAY(SELECT DISTINCT to_char(written.authored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM written) AS days`,
    values,
  );
  return rows[0] ?? { count: 0, days: [] };
}

async function updateStoredCommits(transaction: Queryable, values: unknown[]): Promise<string[]> {
  const { rows } = await transaction.query<{ days: string[] }>(
    `WITH incoming AS (${incomingCommits}),
     updated AS (
       UPDATE commits AS c SET
         authored_at = incoming.authored_at,
         author_tz_offset = incoming.author_tz_offset,
         author_name = incoming.author_name,
         author_email = incoming.author_email,
         author_original_name = incoming.author_original_name,
         author_original_email = incoming.author_original_email,
         committed_at = incoming.committed_at,
         committer_tz_offset = incoming.committer_tz_offset,
         committer_name = incoming.committer_name,
         committer_email = incoming.committer_email,
         message = incoming.message,
         additions = coalesce(incoming.additions, c.additions),
         deletions = coalesce(incoming.deletions, c.deletions),
         files_changed = coalesce(incoming.files_changed, c.files_changed),
         is_merge = incoming.is_merge,
         co_authors = incoming.co_authors,
         author_is_bot = incoming.author_is_bot
       FROM incoming
       -- The same row as read before the update: its author date is the day the commit leaves.
       JOIN commits AS previous ON previous.repository_id = $1 AND previous.sha = incoming.sha
       WHERE c.repository_id = $1 AND c.sha = incoming.sha
         AND (c.authored_at, c.author_tz_offset, c.author_name, c.author_email, c.author_original_name,
           c.author_original_email, c.committed_at, c.committer_tz_offset, c.committer_name, c.committer_email,
           c.message, c.additions, c.deletions, c.files_changed, c.is_merge, c.co_authors, c.author_is_bot)
         IS DISTINCT FROM (incoming.authored_at, incoming.author_tz_offset, incoming.author_name,
           incoming.author_email, incoming.author_original_name, incoming.author_original_email,
           incoming.committed_at, incoming.committer_tz_offset, incoming.committer_name, incoming.committer_email,
           incoming.message, coalesce(incoming.additions, c.additions), coalesce(incoming.deletions, c.deletions),
           coalesce(incoming.files_changed, c.files_changed), incoming.is_merge, incoming.co_authors,
           incoming.author_is_bot)
       RETURNING previous.authored_at AS previous_authored_at, c.authored_at
     )
     SELECT ARRAY(
       SELECT DISTINCT to_char(days.authored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')
       FROM (SELECT updated.previous_authored_at FROM updated UNION ALL SELECT updated.authored_at FROM updated)
         AS days (authored_at)
     ) AS days`,
    values,
  );
  return rows[0]?.days ?? [];
}

function toColumns(rows: GitCommitRow[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 18 }, () => new Array<unknown>(rows.length));
  rows.forEach((row, index) => {
    const values = [
      row.sha,
      row.authoredAt,
      row.authorTzOffset,
      row.authorName,
      row.authorEmail.toLowerCase(),
      row.authorOriginalName,
      row.authorOriginalEmail,
      row.committedAt,
      row.committerTzOffset,
      row.committerName,
      row.committerEmail.toLowerCase(),
      row.message,
      row.additions,
      row.deletions,
      row.filesChanged,
      row.isMerge,
      row.mappedCoAuthors.length === 0
        ? '[]'
        : JSON.stringify(
            row.mappedCoAuthors.map(({ name, email }) => ({ name, email: email.toLowerCase() })),
          ),
      row.authorIsBot,
    ];
    for (let column = 0; column < values.length; column++) columns[column]![index] = values[column];
  });
  return columns;
}
