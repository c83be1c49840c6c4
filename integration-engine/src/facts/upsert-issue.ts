import type { Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';
import type { IssueChange } from './fact-types.js';

interface IssueTimes {
  created_at: Date | null;
  closed_at: Date | null;
}

/**
 * Applies one change to an issue. `closed_at` is the last close: a reopen clears it, so a reopened issue
 * counts as closed only by its last close (docs/METRICS.md).
 */
export async function upsertIssue(
  transaction: Queryable,
  repositoryId: string,
  change: IssueChange,
  touched: TouchedDays,
): Promise<void> {
  const { rows } = await transaction.query<IssueTimes & { previous: IssueTimes | null }>(
    `WITH previous AS (
       SELECT i.created_at, i.closed_at FROM issues i WHERE i.repository_id = $1 AND i.number = $2
     ), written AS (
       INSERT INTO issues AS i (repository_id, number, title, author_login, state, created_at, closed_at, state_changed_at,
         github_id, author_id, author_is_bot, author_association, updated_at, first_response_at, first_responder_login,
         comments)
       VALUES ($1, $2, $3, $4, coalesce($5::text, 'open'), $6,
         CASE WHEN $5::text = 'closed' THEN $7::timestamptz END,
         CASE WHEN $5::text IS NULL THEN '-infinity'::timestamptz ELSE $8::timestamptz END,
         $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (repository_id, number) DO UPDATE SET
         github_id = coalesce(EXCLUDED.github_id, i.github_id),
         author_id = coalesce(EXCLUDED.author_id, i.author_id),
         author_is_bot = EXCLUDED.author_is_bot OR i.author_is_bot,
         author_association = coalesce(EXCLUDED.author_association, i.author_association),
         updated_at = greatest(i.updated_at, EXCLUDED.updated_at),
         first_responder_login = CASE WHEN EXCLUDED.first_response_at < i.first_response_at OR i.first_response_at IS NULL
           THEN coalesce(EXCLUDED.first_responder_login, i.first_responder_login) ELSE i.first_responder_login END,
         first_response_at = least(i.first_response_at, EXCLUDED.first_response_at),
         comments = CASE WHEN EXCLUDED.updated_at >= i.updated_at OR i.updated_at IS NULL
           THEN coalesce(EXCLUDED.comments, i.comments) ELSE coalesce(i.comments, EXCLUDED.comments) END,
         title = coalesce(EXCLUDED.title, i.title),
         author_login = coalesce(EXCLUDED.author_login, i.author_login),
         created_at = least(i.created_at, EXCLUDED.created_at),
         closed_at = CASE WHEN $5::text IS NULL OR $8::timestamptz < i.state_changed_at THEN i.closed_at ELSE EXCLUDED.closed_at END,
         state = CASE WHEN $5::text IS NULL OR $8::timestamptz < i.state_changed_at THEN i.state ELSE EXCLUDED.state END,
         state_changed_at = CASE WHEN $5::text IS NULL THEN i.state_changed_at ELSE greatest(i.state_changed_at, $8::timestamptz) END
       RETURNING i.created_at, i.closed_at
     )
     SELECT written.*, to_jsonb(previous.*) AS previous FROM written LEFT JOIN previous ON true`,
    [
      repositoryId,
      change.number,
      change.title ?? null,
      change.authorLogin ?? null,
      change.state ?? null,
      change.createdAt ?? null,
      change.closedAt ?? null,
      change.eventAt,
      change.githubId ?? null,
      change.authorId ?? null,
      change.authorIsBot ?? false,
      change.authorAssociation ?? null,
      change.updatedAt ?? null,
      change.response?.at ?? null,
      change.response?.login ?? null,
      change.comments ?? null,
    ],
  );
  const row = rows[0];
  touched.add(
    repositoryId,
    row?.created_at,
    row?.closed_at,
    row?.previous?.created_at,
    row?.previous?.closed_at,
  );
}
