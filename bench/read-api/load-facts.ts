import type pg from 'pg';

// Each fact table is filled by one INSERT … SELECT over the repository plan (`load-repositories.ts`) and
// generate_series, so PostgreSQL makes the rows itself. The inner SELECT draws a row's random numbers once
// (a subquery with volatile functions is not flattened), the outer one turns them into columns. Times lie
// between the repository's `active_from` and `active_to`, a little denser towards the end (u^0.8): projects
// grow. People are numbered per organisation, shared by its repositories, the first few of each repository
// doing most of the work (u^2.5); a third commit from a company address, a third from GitHub's noreply
// address (so their commits and pull requests are one person), a third from a public mail domain.

const personEmail = (person: string, owner: string) => `CASE
  WHEN ${person} % 3 = 0 THEN 'person' || ${person} || '@gmail.com'
  WHEN ${person} % 3 = 1 THEN ${person} || '+person' || ${person} || '@users.noreply.github.com'
  ELSE 'person' || ${person} || '@' || ${owner} || '.example' END`;

/** A person among a repository's first three contributors: its maintainers. */
const maintainer = `'person' || (p.organisation * 10000 + (p.slot * 53 + floor(random() * 3)::int) % 10000)`;
const contributor = `p.organisation * 10000 + (p.slot * 53 + floor(power(random(), 2.5) * p.contributors)::int) % 10000`;
const timeInActivity = `p.active_from + (p.active_to - p.active_from) * power(random(), 0.8)`;

export async function loadCommits(client: pg.Client, now: Date): Promise<number> {
  const result = await client.query(
    `INSERT INTO commits (repository_id, sha, authored_at, committed_at, author_name, author_email, message,
       additions, deletions, files_changed, is_merge, author_tz_offset, committer_name, committer_email,
       committer_tz_offset, author_is_bot)
     SELECT d.repository_id, md5(d.repository_id || ':' || d.n) || left(md5(d.n || ':' || d.repository_id), 8),
            d.authored_at, least($1::timestamptz, d.authored_at + d.commit_delay), who.name, who.email,
            (ARRAY['Fix', 'Add', 'Update', 'Refactor', 'Remove', 'Document', 'Test', 'Bump'])[d.verb]
              || ' ' || split_part(d.name, '-', 1) || ' module ' || d.n % 97,
            CASE WHEN d.merge THEN 0 ELSE 1 + floor(power(d.size_draw, 3) * 800)::int END,
            CASE WHEN d.merge THEN 0 ELSE floor(power(d.size_draw, 3) * 800 * d.ratio_draw)::int END,
            CASE WHEN d.merge THEN 0 ELSE 1 + floor(power(d.size_draw, 2) * 30)::int END,
            d.merge, d.tz, who.name, who.email, d.tz, d.bot
     FROM (SELECT p.repository_id, p.owner, p.name, g AS n, ${timeInActivity} AS authored_at,
                  random() * interval '6 hours' AS commit_delay, random() < 0.04 AS bot, random() < 0.05 AS merge,
                  ${contributor} AS person, 1 + floor(random() * 8)::int AS verb, random() AS size_draw,
                  random() AS ratio_draw, (ARRAY[-480, -300, -240, 0, 60, 120, 330, 540])[1 + floor(random() * 8)::int] AS tz
           FROM repository_plan AS p CROSS JOIN LATERAL generate_series(1, p.commits) AS g) AS d
       CROSS JOIN LATERAL (SELECT CASE WHEN d.bot THEN 'dependabot[bot]' ELSE 'Person ' || d.person END AS name,
                                  CASE WHEN d.bot THEN '49699333+dependabot[bot]@users.noreply.github.com'
                                       ELSE ${personEmail('d.person', 'd.owner')} END AS email) AS who`,
    [now],
  );
  return result.rowCount ?? 0;
}

/** Merged 64 %, closed unmerged 18 %, the rest open; an outcome later than now leaves it open. */
export async function loadPullRequests(client: pg.Client, now: Date): Promise<number> {
  const result = await client.query(
    `INSERT INTO pull_requests (repository_id, number, title, author_login, state, created_at, merged_at, closed_at,
       state_changed_at, github_id, author_id, author_is_bot, author_association, updated_at, is_draft,
       merged_by_login, approved, first_response_at, first_responder_login)
     SELECT d.repository_id, d.number, 'Change ' || d.number || ' to ' || d.name, who.author,
            CASE WHEN d.ended_at IS NULL THEN 'open' WHEN d.merged THEN 'merged' ELSE 'closed' END,
            d.created_at, CASE WHEN d.merged THEN d.ended_at END, d.ended_at, coalesce(d.ended_at, d.created_at),
            d.repository_id * 1000000 + d.number, NULL, d.bot, who.association,
            greatest(coalesce(d.ended_at, d.created_at), coalesce(d.responded_at, d.created_at)),
            d.ended_at IS NULL AND d.draft, CASE WHEN d.merged AND d.ended_at IS NOT NULL THEN d.merger END,
            d.merged AND d.ended_at IS NOT NULL AND d.approved, d.responded_at,
            CASE WHEN d.responded_at IS NOT NULL THEN d.responder END
     FROM (SELECT e.*, CASE WHEN e.outcome < 0.82 AND e.created_at + e.delay < $1::timestamptz
                            THEN e.created_at + e.delay END AS ended_at,
                  e.outcome < 0.64 AS merged,
                  CASE WHEN e.answered AND e.created_at + e.response_delay < $1::timestamptz
                       THEN e.created_at + e.response_delay END AS responded_at
           FROM (SELECT p.repository_id, p.name, g AS number, ${timeInActivity} AS created_at,
                        random() AS outcome, -ln(1 - random()) * interval '40 hours' AS delay,
                        random() < 0.85 AS answered, -ln(1 - random()) * interval '10 hours' AS response_delay,
                        random() < 0.12 AS bot, random() < 0.1 AS draft, random() < 0.75 AS approved,
                        ${contributor} AS person, ${maintainer} AS merger, ${maintainer} AS responder
                 FROM repository_plan AS p CROSS JOIN LATERAL generate_series(1, p.pull_requests) AS g) AS e) AS d
       CROSS JOIN LATERAL (SELECT CASE WHEN d.bot THEN 'dependabot[bot]' ELSE 'person' || d.person END AS author,
                                  CASE WHEN d.bot THEN 'NONE' WHEN d.person % 10 < 2 THEN 'MEMBER'
                                       WHEN d.person % 10 < 6 THEN 'CONTRIBUTOR' ELSE 'NONE' END AS association) AS who`,
    [now],
  );
  return result.rowCount ?? 0;
}

/** Numbered after the repository's pull requests, as GitHub numbers both in one sequence; 70 % closed. */
export async function loadIssues(client: pg.Client, now: Date): Promise<number> {
  const result = await client.query(
    `INSERT INTO issues (repository_id, number, title, author_login, state, created_at, closed_at, state_changed_at,
       github_id, author_is_bot, author_association, updated_at, comments, first_response_at, first_responder_login)
     SELECT d.repository_id, d.number, 'Problem ' || d.number || ' in ' || d.name, 'person' || d.person,
            CASE WHEN d.closed_at IS NULL THEN 'open' ELSE 'closed' END, d.created_at, d.closed_at,
            coalesce(d.closed_at, d.created_at), d.repository_id * 1000000 + d.number, d.bot,
            CASE WHEN d.association_draw < 0.2 THEN 'MEMBER' WHEN d.association_draw < 0.5 THEN 'CONTRIBUTOR'
                 ELSE 'NONE' END,
            greatest(coalesce(d.closed_at, d.created_at), coalesce(d.responded_at, d.created_at)), d.comments,
            d.responded_at, CASE WHEN d.responded_at IS NOT NULL THEN d.responder END
     FROM (SELECT e.*, CASE WHEN e.closes AND e.created_at + e.delay < $1::timestamptz
                            THEN e.created_at + e.delay END AS closed_at,
                  CASE WHEN e.answered AND e.created_at + e.response_delay < $1::timestamptz
                       THEN e.created_at + e.response_delay END AS responded_at
           FROM (SELECT p.repository_id, p.name, p.pull_requests + g AS number, ${timeInActivity} AS created_at,
                        random() < 0.72 AS closes, -ln(1 - random()) * interval '20 days' AS delay,
                        random() < 0.75 AS answered, -ln(1 - random()) * interval '30 hours' AS response_delay,
                        random() < 0.02 AS bot, random() AS association_draw,
                        floor(-ln(1 - random()) * 3)::int AS comments, ${contributor} AS person,
                        ${maintainer} AS responder
                 FROM repository_plan AS p CROSS JOIN LATERAL generate_series(1, p.issues) AS g) AS e) AS d`,
    [now],
  );
  return result.rowCount ?? 0;
}

export async function loadReleases(client: pg.Client): Promise<number> {
  const result = await client.query(
    `INSERT INTO releases (repository_id, tag, name, published_at, deleted_at)
     SELECT d.repository_id, d.tag, d.tag, d.published_at,
            CASE WHEN d.deleted THEN d.published_at + interval '1 day' END
     FROM (SELECT p.repository_id, 'v' || (1 + g / 20) || '.' || g % 20 || '.0' AS tag,
                  p.active_from + (p.active_to - p.active_from) * random() AS published_at, random() < 0.01 AS deleted
           FROM repository_plan AS p CROSS JOIN LATERAL generate_series(1, p.releases) AS g) AS d`,
  );
  return result.rowCount ?? 0;
}

/** Stars keep coming after a project went quiet, denser lately (u^0.6); 2 % were taken back since. */
export async function loadStars(client: pg.Client, now: Date): Promise<number> {
  const result = await client.query(
    `INSERT INTO stars (repository_id, actor_login, starred_at, unstarred_at)
     SELECT d.repository_id, 'stargazer' || d.n, d.starred_at,
            CASE WHEN d.unstarred THEN d.starred_at + ($1::timestamptz - d.starred_at) * random() END
     FROM (SELECT p.repository_id, g AS n,
                  p.active_from + ($1::timestamptz - p.active_from) * power(random(), 0.6) AS starred_at,
                  random() < 0.02 AS unstarred
           FROM repository_plan AS p CROSS JOIN LATERAL generate_series(1, p.stars) AS g) AS d`,
    [now],
  );
  return result.rowCount ?? 0;
}

export async function loadForks(client: pg.Client, now: Date): Promise<number> {
  const result = await client.query(
    `INSERT INTO forks (repository_id, fork_owner, fork_name, actor_login, forked_at)
     SELECT p.repository_id, 'forker' || g, p.name, 'forker' || g,
            p.active_from + ($1::timestamptz - p.active_from) * power(random(), 0.7)
     FROM repository_plan AS p CROSS JOIN LATERAL generate_series(1, p.forks) AS g`,
    [now],
  );
  return result.rowCount ?? 0;
}
