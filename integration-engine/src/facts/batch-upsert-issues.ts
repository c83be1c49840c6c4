import type { Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';
import { writeInRounds, type FactStatements, type RepositoryFact } from './batch-upsert-rounds.js';
import type { IssueChange } from './fact-types.js';

interface IssueRow {
  repository_id: string;
  number: number;
  created_at: Date | null;
  closed_at: Date | null;
}

const insertIssues = `
  INSERT INTO issues AS i (repository_id, number, title, author_login, state, created_at, closed_at, state_changed_at,
    github_id, author_id, author_is_bot, author_association, updated_at, first_response_at, first_responder_login,
    comments)
  SELECT input.repository_id, input.number, input.title, input.author_login, coalesce(input.state, 'open'),
    input.created_at,
    CASE WHEN input.state = 'closed' THEN input.closed_at END,
    CASE WHEN input.state IS NULL THEN '-infinity'::timestamptz ELSE input.event_at END,
    input.github_id, input.author_id, input.author_is_bot, input.author_association, input.updated_at,
    input.first_response_at, input.first_responder_login, input.comments
  FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
    $8::timestamptz[], $9::bigint[], $10::bigint[], $11::boolean[], $12::text[], $13::timestamptz[],
    $14::timestamptz[], $15::text[], $16::integer[])
    AS input (repository_id, number, title, author_login, state, created_at, closed_at, event_at, github_id, author_id,
      author_is_bot, author_association, updated_at, first_response_at, first_responder_login, comments)
  ORDER BY input.repository_id, input.number`;

const returning = 'RETURNING i.repository_id::text AS repository_id, i.number, i.created_at, i.closed_at';

/**
 * As `upsertIssue`: `closed_at` is the last close, a reopen clears it. As for pull requests, `EXCLUDED`
 * carries the change's state and time: `state_changed_at` is '-infinity' exactly when the change sets no
 * state, the change's `eventAt` otherwise.
 */
const issueStatements: FactStatements<IssueChange, IssueRow> = {
  keyOf: (change) => [change.number],
  keyOfRow: (row) => [row.number],
  parameters: (round) => [
    round.map((item) => item.repositoryId),
    round.map((item) => item.fact.number),
    round.map((item) => item.fact.title ?? null),
    round.map((item) => item.fact.authorLogin ?? null),
    round.map((item) => item.fact.state ?? null),
    round.map((item) => item.fact.createdAt ?? null),
    round.map((item) => item.fact.closedAt ?? null),
    round.map((item) => item.fact.eventAt),
    round.map((item) => item.fact.githubId ?? null),
    round.map((item) => item.fact.authorId ?? null),
    round.map((item) => item.fact.authorIsBot ?? false),
    round.map((item) => item.fact.authorAssociation ?? null),
    round.map((item) => item.fact.updatedAt ?? null),
    round.map((item) => item.fact.response?.at ?? null),
    round.map((item) => item.fact.response?.login ?? null),
    round.map((item) => item.fact.comments ?? null),
  ],
  insertNew: `${insertIssues} ON CONFLICT (repository_id, number) DO NOTHING ${returning}`,
  stored: {
    keyParameters: (round) => [round.map((item) => item.repositoryId), round.map((item) => item.fact.number)],
    lock: `
      SELECT i.repository_id::text AS repository_id, i.number, i.created_at, i.closed_at
      FROM issues i JOIN unnest($1::bigint[], $2::integer[]) AS stored (repository_id, number)
        ON i.repository_id = stored.repository_id AND i.number = stored.number
      ORDER BY i.repository_id, i.number
      FOR NO KEY UPDATE OF i`,
    upsert: `${insertIssues}
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
        closed_at = CASE WHEN EXCLUDED.state_changed_at = '-infinity' OR EXCLUDED.state_changed_at < i.state_changed_at
          THEN i.closed_at ELSE EXCLUDED.closed_at END,
        state = CASE WHEN EXCLUDED.state_changed_at = '-infinity' OR EXCLUDED.state_changed_at < i.state_changed_at
          THEN i.state ELSE EXCLUDED.state END,
        state_changed_at = CASE WHEN EXCLUDED.state_changed_at = '-infinity' THEN i.state_changed_at
          ELSE greatest(i.state_changed_at, EXCLUDED.state_changed_at) END
      ${returning}`,
  },
  times: (row) => [row.created_at, row.closed_at],
  counts: (row) => [
    ['issues_opened', row.created_at],
    ['issues_closed', row.closed_at],
  ],
};

/** `upsertIssue` for many changes, with the same effect as writing them one at a time in order. */
export async function batchUpsertIssues(
  transaction: Queryable,
  changes: ReadonlyArray<RepositoryFact<IssueChange>>,
  touched: TouchedDays,
): Promise<void> {
  await writeInRounds(transaction, issueStatements, changes, touched);
}
