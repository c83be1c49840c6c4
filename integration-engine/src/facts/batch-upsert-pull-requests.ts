import type { Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';
import { writeInRounds, type FactStatements, type RepositoryFact } from './batch-upsert-rounds.js';
import type { PullRequestChange } from './fact-types.js';

interface PullRequestRow {
  repository_id: string;
  number: number;
  created_at: Date | null;
  merged_at: Date | null;
}

const insertPullRequests = `
  INSERT INTO pull_requests AS p (repository_id, number, title, author_login, state, created_at, merged_at, closed_at,
    state_changed_at, github_id, author_id, author_is_bot, author_association, updated_at, first_response_at,
    first_responder_login, is_draft, merged_by_login, approved)
  SELECT input.repository_id, input.number, input.title, input.author_login, coalesce(input.state, 'open'),
    input.created_at, input.merged_at,
    CASE WHEN input.state = 'open' THEN NULL ELSE input.closed_at END,
    CASE WHEN input.state IS NULL THEN '-infinity'::timestamptz ELSE input.event_at END,
    input.github_id, input.author_id, input.author_is_bot, input.author_association, input.updated_at,
    input.first_response_at, input.first_responder_login, input.is_draft, input.merged_by_login, input.approved
  FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
    $8::timestamptz[], $9::timestamptz[], $10::bigint[], $11::bigint[], $12::boolean[], $13::text[],
    $14::timestamptz[], $15::timestamptz[], $16::text[], $17::boolean[], $18::text[], $19::boolean[])
    AS input (repository_id, number, title, author_login, state, created_at, merged_at, closed_at, event_at, github_id,
      author_id, author_is_bot, author_association, updated_at, first_response_at, first_responder_login, is_draft,
      merged_by_login, approved)
  ORDER BY input.repository_id, input.number`;

const returning = 'RETURNING p.repository_id::text AS repository_id, p.number, p.created_at, p.merged_at';

/**
 * As `upsertPullRequest`: the state moves only when the change is at least as new as the one that set the
 * current state; `created_at` keeps the earliest time seen, `merged_at` the first merge. The single-row
 * statement reads the change's state and time as parameters in its `DO UPDATE`; here only `EXCLUDED` is
 * at hand, and it carries both: `state_changed_at` is '-infinity' exactly when the change sets no state
 * (an edit), and the change's `eventAt` otherwise (event times are real instants, never '-infinity').
 */
const pullRequestStatements: FactStatements<PullRequestChange, PullRequestRow> = {
  keyOf: (change) => [change.number],
  keyOfRow: (row) => [row.number],
  parameters: (round) => [
    round.map((item) => item.repositoryId),
    round.map((item) => item.fact.number),
    round.map((item) => item.fact.title ?? null),
    round.map((item) => item.fact.authorLogin ?? null),
    round.map((item) => item.fact.state ?? null),
    round.map((item) => item.fact.createdAt ?? null),
    round.map((item) => item.fact.mergedAt ?? null),
    round.map((item) => item.fact.closedAt ?? null),
    round.map((item) => item.fact.eventAt),
    round.map((item) => item.fact.githubId ?? null),
    round.map((item) => item.fact.authorId ?? null),
    round.map((item) => item.fact.authorIsBot ?? false),
    round.map((item) => item.fact.authorAssociation ?? null),
    round.map((item) => item.fact.updatedAt ?? null),
    round.map((item) => item.fact.response?.at ?? null),
    round.map((item) => item.fact.response?.login ?? null),
    round.map((item) => item.fact.isDraft ?? null),
    round.map((item) => item.fact.mergedByLogin ?? null),
    round.map((item) => item.fact.approved ?? null),
  ],
  insertNew: `${insertPullRequests} ON CONFLICT (repository_id, number) DO NOTHING ${returning}`,
  stored: {
    keyParameters: (round) => [round.map((item) => item.repositoryId), round.map((item) => item.fact.number)],
    lock: `
      SELECT p.repository_id::text AS repository_id, p.number, p.created_at, p.merged_at
      FROM pull_requests p JOIN unnest($1::bigint[], $2::integer[]) AS stored (repository_id, number)
        ON p.repository_id = stored.repository_id AND p.number = stored.number
      ORDER BY p.repository_id, p.number
      FOR NO KEY UPDATE OF p`,
    upsert: `${insertPullRequests}
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
          WHEN EXCLUDED.state_changed_at = '-infinity' OR EXCLUDED.state_changed_at < p.state_changed_at OR p.state = 'merged'
            THEN coalesce(p.closed_at, EXCLUDED.closed_at)
          ELSE EXCLUDED.closed_at END,
        state = CASE
          WHEN EXCLUDED.state_changed_at = '-infinity' OR EXCLUDED.state_changed_at < p.state_changed_at OR p.state = 'merged'
            THEN p.state
          ELSE EXCLUDED.state END,
        state_changed_at = CASE WHEN EXCLUDED.state_changed_at = '-infinity' THEN p.state_changed_at
          ELSE greatest(p.state_changed_at, EXCLUDED.state_changed_at) END
      ${returning}`,
  },
  times: (row) => [row.created_at, row.merged_at],
  counts: (row) => [
    ['pull_requests_opened', row.created_at],
    ['pull_requests_merged', row.merged_at],
  ],
};

/** `upsertPullRequest` for many changes, with the same effect as writing them one at a time in order. */
export async function batchUpsertPullRequests(
  transaction: Queryable,
  changes: ReadonlyArray<RepositoryFact<PullRequestChange>>,
  touched: TouchedDays,
): Promise<void> {
  await writeInRounds(transaction, pullRequestStatements, changes, touched);
}
