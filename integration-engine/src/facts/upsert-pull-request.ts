import type { Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';
import type { PullRequestChange } from './fact-types.js';

interface PullRequestTimes {
  created_at: Date | null;
  merged_at: Date | null;
  closed_at: Date | null;
}

/**
 * Applies one change to a pull request. The state moves only when the change is at least as new as the
 * one that set the current state; `created_at` keeps the earliest time seen, `merged_at` the first merge.
 */
export async function upsertPullRequest(
  transaction: Queryable,
  repositoryId: string,
  change: PullRequestChange,
  touched: TouchedDays,
): Promise<void> {
  const { rows } = await transaction.query<PullRequestTimes & { previous: PullRequestTimes | null }>(
    `WITH previous AS (
       SELECT p.created_at, p.merged_at, p.closed_at FROM pull_requests p WHERE p.repository_id = $1 AND p.number = $2
     ), written AS (
       INSERT INTO pull_requests AS p (repository_id, number, title, author_login, state, created_at, merged_at, closed_at,
         state_changed_at, github_id, author_id, author_is_bot, author_association, updated_at, first_response_at,
         first_responder_login, is_draft, merged_by_login, approved)
       VALUES ($1, $2, $3, $4, coalesce($5::text, 'open'), $6, $7,
         CASE WHEN $5::text = 'open' THEN NULL ELSE $8::timestamptz END,
         CASE WHEN $5::text IS NULL THEN '-infinity'::timestamptz ELSE $9::timestamptz END,
         $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
       ON CONFLICT (repository_id, number) DO UPDATE SET
         github_id = coalesce(EXCLUDED.github_id, p.github_id),
         author_id = coalesce(EXCLUDED.author_id, p.author_id),
         author_is_bot = EXCLUDED.author_is_bot OR p.author_is_bot,
         author_association = coalesce(EXCLUDED.author_association, p.author_association),
         updated_at = greatest(p.updated_at, EXCLUDED.updated_at),
         first_responder_login = CASE WHEN EXCLUDED.first_response_at < p.first_response_at OR p.first_response_at IS NULL
           THEN coalesce(EXCLUDED.first_responder_login, p.first_responder_login) ELSE p.first_responder_login END,
         first_response_at = least(p.first_response_at, EXCLUDED.first_response_at),
         is_draft = CASE WHEN EXCLUDED.updated_at >= p.updated_at OR p.updated_at IS NULL
           THEN coalesce(EXCLUDED.is_draft, p.is_draft) ELSE coalesce(p.is_draft, EXCLUDED.is_draft) END,
         merged_by_login = coalesce(p.merged_by_login, EXCLUDED.merged_by_login),
         approved = CASE WHEN EXCLUDED.approved IS NULL THEN p.approved ELSE coalesce(p.approved, false) OR EXCLUDED.approved END,
         title = coalesce(EXCLUDED.title, p.title),
         author_login = coalesce(EXCLUDED.author_login, p.author_login),
         created_at = least(p.created_at, EXCLUDED.created_at),
         merged_at = coalesce(p.merged_at, EXCLUDED.merged_at),
         closed_at = CASE
           WHEN $5::text IS NULL OR $9::timestamptz < p.state_changed_at OR p.state = 'merged' THEN coalesce(p.closed_at, EXCLUDED.closed_at)
           ELSE EXCLUDED.closed_at END,
         state = CASE
           WHEN $5::text IS NULL OR $9::timestamptz < p.state_changed_at OR p.state = 'merged' THEN p.state
           ELSE EXCLUDED.state END,
         state_changed_at = CASE WHEN $5::text IS NULL THEN p.state_changed_at ELSE greatest(p.state_changed_at, $9::timestamptz) END
       RETURNING p.created_at, p.merged_at, p.closed_at
     )
     SELECT written.*, to_jsonb(previous.*) AS previous FROM written LEFT JOIN previous ON true`,
    [
      repositoryId,
      change.number,
      change.title ?? null,
      change.authorLogin ?? null,
      change.state ?? null,
      change.createdAt ?? null,
      change.mergedAt ?? null,
      change.closedAt ?? null,
      change.eventAt,
      change.githubId ?? null,
      change.authorId ?? null,
      change.authorIsBot ?? false,
      change.authorAssociation ?? null,
      change.updatedAt ?? null,
      change.response?.at ?? null,
      change.response?.login ?? null,
      change.isDraft ?? null,
      change.mergedByLogin ?? null,
      change.approved ?? null,
    ],
  );
  const row = rows[0];
  touched.add(
    repositoryId,
    row?.created_at,
    row?.merged_at,
    row?.previous?.created_at,
    row?.previous?.merged_at,
  );
}
