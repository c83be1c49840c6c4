// The facts of the metrics benchmark, made by PostgreSQL itself (`INSERT … SELECT` over generate_series):
// 600,000 rows take seconds this way, where sending them from Node would take minutes. Each statement reads
// `bench_shapes`, one row per repository saying how much history it has, so the one large repository and
// the 10,000 small ones are the same statements with other shapes. The caller seeds random() first, so
// the same shapes always give the same rows.
import type { Queryable } from '@repopulse/core';

/** The temporary table the statements read; dropped when the generating transaction commits. */
export const createShapesTable = `CREATE TEMPORARY TABLE bench_shapes (
  repository_id bigint PRIMARY KEY,
  commits integer NOT NULL,
  pull_requests integer NOT NULL,
  issues integer NOT NULL,
  releases integer NOT NULL,
  star_facts integer NOT NULL,
  fork_facts integer NOT NULL,
  -- How far back the history goes, and for how many days the counts were observed.
  history_days integer NOT NULL,
  counts_days integer NOT NULL,
  -- Authors are dev<author_offset + rank>, the rank long-tailed: a few write most commits.
  authors integer NOT NULL,
  author_offset integer NOT NULL,
  stars integer NOT NULL,
  forks integer NOT NULL,
  archived boolean NOT NULL
) ON COMMIT DROP`;

// OFFSET 0 keeps each inner SELECT a subquery of its own, so every random() is drawn once per row and
// the outer expressions that use it twice see the same draw.
const commits = `
INSERT INTO commits (repository_id, sha, authored_at, committed_at, author_name, author_email, author_is_bot,
                     message, additions, deletions, files_changed, is_merge)
SELECT c.repository_id, md5(c.repository_id || ':' || c.i) || lpad(to_hex(c.i), 8, '0'), c.authored_at,
       c.authored_at + interval '1 second' * floor(c.r_commit_delay * 21600),
       CASE WHEN c.bot THEN c.bot_login ELSE 'Developer ' || c.person END,
       CASE WHEN c.bot THEN c.bot_account || '+' || c.bot_login || '@users.noreply.github.com'
            ELSE 'dev' || c.person || '@' ||
                 CASE WHEN c.person % 4 = 0 THEN 'gmail.com' ELSE 'company' || c.person % 15 || '.example' END
       END,
       c.bot, 'Change ' || c.i, c.additions, floor(c.additions * c.r_deletions)::integer,
       1 + floor(c.r_files * 6)::integer, c.merge
FROM (
  SELECT s.repository_id, g.i,
         $1::timestamptz - interval '1 second' * floor(random() * s.history_days * 86400) AS authored_at,
         s.author_offset + floor(s.authors * random() ^ 3)::integer AS person,
         kind.r < 0.04 AS bot, kind.r >= 0.04 AND kind.r < 0.09 AS merge,
         CASE WHEN g.i % 2 = 0 THEN 'dependabot[bot]' ELSE 'renovate[bot]' END AS bot_login,
         CASE WHEN g.i % 2 = 0 THEN '49699333' ELSE '29139614' END AS bot_account,
         floor(exp(random() * 7))::integer AS additions,
         random() AS r_deletions, random() AS r_files, random() AS r_commit_delay
  FROM bench_shapes s
  CROSS JOIN LATERAL generate_series(1, s.commits) AS g (i)
  CROSS JOIN LATERAL (SELECT random() + g.i * 0 AS r) AS kind
  OFFSET 0
) AS c`;

/**
 * Pull requests (numbers 1…n) and issues (n+1…) opened evenly over the history, in number order; most
 * are answered, merged or closed after a long-tailed delay, unless that falls after now.
 */
const pullRequests = `
INSERT INTO pull_requests (repository_id, number, title, author_login, author_is_bot, author_association, state,
                           created_at, merged_at, closed_at, state_changed_at, updated_at, merged_by_login,
                           approved, first_response_at, first_responder_login, is_draft)
SELECT p.repository_id, p.number, 'Pull request ' || p.number, p.author, p.bot, p.association,
       CASE WHEN p.merged_at IS NOT NULL THEN 'merged' WHEN p.closed_at IS NOT NULL THEN 'closed' ELSE 'open' END,
       p.created_at, p.merged_at, p.closed_at, coalesce(p.closed_at, p.created_at),
       greatest(p.created_at, p.first_response_at, p.closed_at),
       CASE WHEN p.merged_at IS NOT NULL THEN 'maintainer' || p.number % 5 END,
       p.merged_at IS NOT NULL AND p.r_approved < 0.75, p.first_response_at,
       CASE WHEN p.first_response_at IS NOT NULL THEN 'maintainer' || (p.number + 1) % 5 END, false
FROM (
  SELECT q.*,
         CASE WHEN q.r_outcome < 0.7 AND q.created_at + q.to_close < $1 THEN q.created_at + q.to_close END AS merged_at,
         CASE WHEN q.r_outcome < 0.85 AND q.created_at + q.to_close < $1 THEN q.created_at + q.to_close END AS closed_at,
         CASE WHEN q.r_response < 0.85 AND q.created_at + q.to_response < $1 THEN q.created_at + q.to_response END
           AS first_response_at
  FROM (
    SELECT s.repository_id, g.i AS number,
           $1::timestamptz - interval '1 second' * floor(s.history_days * 86400 * (1 - (g.i - random()) / s.pull_requests))
             AS created_at,
           interval '1 minute' * floor(exp(random() * 10)) AS to_close,
           interval '1 minute' * floor(exp(random() * 9)) AS to_response,
           random() AS r_outcome, random() AS r_response, random() AS r_approved,
           CASE WHEN kind.r < 0.12 THEN 'dependabot[bot]'
                ELSE 'dev' || s.author_offset + floor(s.authors * 2 * random() ^ 2)::integer END AS author,
           kind.r < 0.12 AS bot,
           CASE WHEN kind.r < 0.12 THEN 'NONE' WHEN kind.r < 0.3 THEN 'MEMBER' ELSE 'CONTRIBUTOR' END AS association
    FROM bench_shapes s
    CROSS JOIN LATERAL generate_series(1, s.pull_requests) AS g (i)
    CROSS JOIN LATERAL (SELECT random() + g.i * 0 AS r) AS kind
    OFFSET 0
  ) AS q
) AS p`;

const issues = `
INSERT INTO issues (repository_id, number, title, author_login, author_is_bot, author_association, state, created_at,
                    closed_at, state_changed_at, updated_at, comments, first_response_at, first_responder_login)
SELECT i.repository_id, i.number, 'Issue ' || i.number, i.author, false, i.association,
       CASE WHEN i.closed_at IS NULL THEN 'open' ELSE 'closed' END, i.created_at, i.closed_at,
       coalesce(i.closed_at, i.created_at), greatest(i.created_at, i.first_response_at, i.closed_at), i.comments,
       i.first_response_at, CASE WHEN i.first_response_at IS NOT NULL THEN 'maintainer' || i.number % 5 END
FROM (
  SELECT q.*,
         CASE WHEN q.r_outcome < 0.75 AND q.created_at + q.to_close < $1 THEN q.created_at + q.to_close END AS closed_at,
         CASE WHEN q.r_response < 0.8 AND q.created_at + q.to_response < $1 THEN q.created_at + q.to_response END
           AS first_response_at
  FROM (
    SELECT s.repository_id, s.pull_requests + g.i AS number,
           $1::timestamptz - interval '1 second' * floor(s.history_days * 86400 * (1 - (g.i - random()) / s.issues))
             AS created_at,
           interval '1 minute' * floor(exp(random() * 11)) AS to_close,
           interval '1 minute' * floor(exp(random() * 9.5)) AS to_response,
           random() AS r_outcome, random() AS r_response, floor(random() * 12)::integer AS comments,
           'user' || s.author_offset + floor(s.authors * 5 * random() ^ 2)::integer AS author,
           CASE WHEN kind.r < 0.02 THEN 'OWNER' WHEN kind.r < 0.1 THEN 'MEMBER' WHEN kind.r < 0.15 THEN 'COLLABORATOR'
                WHEN kind.r < 0.4 THEN 'CONTRIBUTOR' ELSE 'NONE' END AS association
    FROM bench_shapes s
    CROSS JOIN LATERAL generate_series(1, s.issues) AS g (i)
    CROSS JOIN LATERAL (SELECT random() + g.i * 0 AS r) AS kind
    OFFSET 0
  ) AS q
) AS i`;

const releases = `
INSERT INTO releases (repository_id, tag, name, published_at)
SELECT s.repository_id, 'v1.' || g.i || '.0', 'Release 1.' || g.i,
       $1::timestamptz - interval '1 second' * floor(s.history_days * 86400 * (1 - (g.i - random()) / s.releases))
FROM bench_shapes s CROSS JOIN LATERAL generate_series(1, s.releases) AS g (i)`;

/** A count observed each day of the last `counts_days`, growing towards today's; today's observed now. */
const countsDaily = `
INSERT INTO repository_counts_daily (repository_id, day, stars, forks, watchers, observed_at)
SELECT s.repository_id, ($1::timestamptz AT TIME ZONE 'UTC')::date - g.d,
       round(s.stars * (1 - g.d / (s.history_days * 1.5)))::integer,
       round(s.forks * (1 - g.d / (s.history_days * 1.5)))::integer,
       round(s.stars * (1 - g.d / (s.history_days * 1.5)) / 20)::integer,
       CASE WHEN g.d = 0 THEN $1::timestamptz ELSE $1::timestamptz - interval '1 day' * g.d END
FROM bench_shapes s CROSS JOIN LATERAL generate_series(0, s.counts_days - 1) AS g (d)`;

const stars = `
INSERT INTO stars (repository_id, actor_login, starred_at, unstarred_at)
SELECT t.repository_id, 'stargazer' || t.i, t.starred_at,
       CASE WHEN t.r_unstar < 0.03 THEN t.starred_at + ($1::timestamptz - t.starred_at) * t.r_unstar / 0.03 END
FROM (
  SELECT s.repository_id, g.i, random() AS r_unstar,
         $1::timestamptz - interval '1 second' * floor(random() * s.history_days * 86400) AS starred_at
  FROM bench_shapes s CROSS JOIN LATERAL generate_series(1, s.star_facts) AS g (i)
  OFFSET 0
) AS t`;

const forks = `
INSERT INTO forks (repository_id, fork_owner, fork_name, actor_login, forked_at)
SELECT s.repository_id, 'forker' || g.i, 'fork', 'forker' || g.i,
       $1::timestamptz - interval '1 second' * floor(random() * s.history_days * 86400)
FROM bench_shapes s CROSS JOIN LATERAL generate_series(1, s.fork_facts) AS g (i)`;

/** The repository rows as the GitHub crawler leaves them: created before the first fact, counts now. */
const repositoryMetadata = `
UPDATE repositories AS r
SET github_id = 1000000000 + r.id, repo_created_at = $1::timestamptz - interval '1 day' * (s.history_days + 7),
    has_issues = true, archived = s.archived, stars = s.stars, forks = s.forks, watchers = s.stars / 20,
    default_branch = 'main', metadata_updated_at = $1::timestamptz
FROM bench_shapes AS s WHERE s.repository_id = r.id`;

/** Writes every repository's facts, as `bench_shapes` describes them, at `now`. */
export async function insertFactsOfShapes(transaction: Queryable, now: Date): Promise<void> {
  for (const statement of [
    repositoryMetadata,
    commits,
    pullRequests,
    issues,
    releases,
    countsDaily,
    stars,
    forks,
  ]) {
    await transaction.query(statement, [now]);
  }
}
