import type { Queryable } from '@repopulse/core';
import { loadGithubOrganisations } from './load-github-organisations.js';
import {
  commitAuthorIsBot,
  commitPerson,
  emailOrganisation,
  loginPerson,
  noreplyIdentity,
} from './people.js';
import type { RepositoryFacts } from './repository-facts.js';

const time = (value: Date | null | undefined): number | null => (value ? value.getTime() : null);

/**
 * Loads one repository's facts for the metrics (one query per fact table, and one for the commit authors'
 * GitHub companies).
 */
export async function loadRepositoryFacts(
  database: Queryable,
  repositoryId: string,
): Promise<RepositoryFacts | undefined> {
  const repository = await database.query<{
    repo_created_at: Date | null;
    archived: boolean | null;
    has_issues: boolean | null;
    github_id: string | null;
    host: string;
    stars: number | null;
    forks: number | null;
    watchers: number | null;
  }>(
    `SELECT repo_created_at, archived, has_issues, github_id, host, stars, forks, watchers FROM repositories WHERE id = $1`,
    [repositoryId],
  );
  const row = repository.rows[0];
  if (!row) return undefined;

  // One after the other: a transaction is one connection, which runs one query at a time anyway.
  const commits = await database.query<{
    sha: string;
    authored_at: Date;
    committed_at: Date | null;
    author_name: string | null;
    author_email: string | null;
    author_login: string | null;
    author_is_bot: boolean;
    is_merge: boolean;
    additions: number | null;
    deletions: number | null;
  }>(
    `SELECT sha, authored_at, committed_at, author_name, author_email, author_login, author_is_bot, is_merge,
            additions, deletions
     FROM commits WHERE repository_id = $1 ORDER BY authored_at, sha`,
    [repositoryId],
  );
  const pullRequests = await database.query<{
    number: number;
    created_at: Date | null;
    merged_at: Date | null;
    closed_at: Date | null;
    state: 'open' | 'closed' | 'merged';
    author_login: string | null;
    author_id: string | null;
    author_is_bot: boolean;
    first_response_at: Date | null;
    approved: boolean | null;
    merged_by_login: string | null;
    updated_at: Date | null;
  }>(
    `SELECT number, created_at, merged_at, closed_at, state, author_login, author_id::text, author_is_bot,
            first_response_at, approved, merged_by_login, updated_at
     FROM pull_requests WHERE repository_id = $1 ORDER BY created_at NULLS LAST, number`,
    [repositoryId],
  );
  const issues = await database.query<{
    number: number;
    created_at: Date | null;
    closed_at: Date | null;
    state: 'open' | 'closed';
    author_login: string | null;
    author_id: string | null;
    author_is_bot: boolean;
    author_association: string | null;
    first_response_at: Date | null;
    updated_at: Date | null;
    comments: number | null;
  }>(
    `SELECT number, created_at, closed_at, state, author_login, author_id::text, author_is_bot, author_association,
            first_response_at,
            updated_at, comments
     FROM issues WHERE repository_id = $1 ORDER BY created_at NULLS LAST, number`,
    [repositoryId],
  );
  // docs/METRICS.md: GitHub releases, else version tags (a repository that never published a GitHub release).
  const releases = await database.query<{ tag: string; published_at: Date }>(
    `SELECT releases.tag, releases.published_at FROM releases
      WHERE releases.repository_id = $1 AND releases.deleted_at IS NULL
     UNION ALL
     SELECT version_tags.tag, version_tags.tagged_at FROM version_tags
      WHERE version_tags.repository_id = $1
        AND NOT EXISTS (SELECT 1 FROM releases WHERE releases.repository_id = $1)
     ORDER BY 2, 1`,
    [repositoryId],
  );
  const counts = await database.query<{
    day: Date;
    stars: number | null;
    forks: number | null;
    watchers: number | null;
  }>(
    `SELECT day::timestamp AT TIME ZONE 'UTC' AS day, stars, forks, watchers FROM repository_counts_daily
     WHERE repository_id = $1 ORDER BY day`,
    [repositoryId],
  );
  const stars = await database.query<{ starred_at: Date; unstarred_at: Date | null }>(
    `SELECT starred_at, unstarred_at FROM stars WHERE repository_id = $1 ORDER BY starred_at`,
    [repositoryId],
  );
  const forks = await database.query<{ forked_at: Date }>(
    `SELECT forked_at FROM forks WHERE repository_id = $1 ORDER BY forked_at`,
    [repositoryId],
  );

  // E-mails seen with a login (webhook commits carry both) tie a git author to their GitHub account.
  const emailLogins = new Map<string, string>();
  for (const commit of commits.rows)
    if (commit.author_login && commit.author_email)
      emailLogins.set(commit.author_email.trim().toLowerCase(), commit.author_login);
  // GitHub user ids by login: a login and its account are one person, under whatever login it had.
  const loginIds = new Map<string, string>();
  for (const commit of commits.rows) {
    const identity = noreplyIdentity(commit.author_email);
    if (identity) loginIds.set(identity.login, identity.id);
  }
  for (const author of [...pullRequests.rows, ...issues.rows])
    if (author.author_login && author.author_id !== null)
      loginIds.set(author.author_login.toLowerCase(), String(author.author_id));

  const commitFacts = commits.rows.map((commit) => {
    const author = { login: commit.author_login, email: commit.author_email, name: commit.author_name };
    return {
      sha: commit.sha,
      authoredAt: commit.authored_at.getTime(),
      committedAt: time(commit.committed_at),
      person: commitPerson(author, emailLogins, loginIds),
      personName: commit.author_name ?? commit.author_email ?? commit.author_login ?? '',
      emailOrganisation: emailOrganisation(commit.author_email),
      isBot: commitAuthorIsBot({ ...author, markedBot: commit.author_is_bot }),
      isMerge: commit.is_merge,
      additions: commit.additions ?? 0,
      deletions: commit.deletions ?? 0,
    };
  });
  // docs/METRICS.md: a person's organisation is their GitHub company where known, else the e-mail domain.
  const githubOrganisations = await loadGithubOrganisations(
    database,
    new Set(commitFacts.filter((commit) => !commit.isBot && !commit.isMerge).map((commit) => commit.person)),
  );

  const firstCommit = commits.rows[0]?.authored_at ?? null;
  const onGithub =
    row.github_id !== null ||
    row.host === 'github.com' ||
    pullRequests.rows.length > 0 ||
    issues.rows.length > 0;
  return {
    repository: {
      id: repositoryId,
      createdAt: time(row.repo_created_at) ?? time(firstCommit),
      archived: row.archived ?? false,
      hasIssues: row.has_issues,
      onGithub,
      stars: row.stars,
      forks: row.forks,
      watchers: row.watchers,
    },
    commits: commitFacts,
    githubOrganisations,
    pullRequests: pullRequests.rows.map((pullRequest) => ({
      number: pullRequest.number,
      createdAt: time(pullRequest.created_at),
      mergedAt: time(pullRequest.merged_at),
      closedAt: time(pullRequest.closed_at) ?? time(pullRequest.merged_at),
      state: pullRequest.state,
      author: loginPerson(pullRequest.author_login, loginIds, pullRequest.author_id),
      authorIsBot: pullRequest.author_is_bot,
      firstResponseAt: time(pullRequest.first_response_at),
      approved: pullRequest.approved ?? false,
      mergedBy: loginPerson(pullRequest.merged_by_login, loginIds),
      updatedAt: time(pullRequest.updated_at),
    })),
    issues: issues.rows.map((issue) => ({
      number: issue.number,
      createdAt: time(issue.created_at),
      closedAt: issue.state === 'closed' ? time(issue.closed_at) : null,
      state: issue.state,
      author: loginPerson(issue.author_login, loginIds, issue.author_id),
      authorIsBot: issue.author_is_bot,
      authorAssociation: issue.author_association,
      firstResponseAt: time(issue.first_response_at),
      updatedAt: time(issue.updated_at),
      comments: issue.comments,
    })),
    releases: releases.rows.map((release) => ({
      tag: release.tag,
      publishedAt: release.published_at.getTime(),
    })),
    countsDaily: counts.rows.map((count) => ({
      day: count.day.getTime(),
      stars: count.stars,
      forks: count.forks,
      watchers: count.watchers,
    })),
    stars: stars.rows.map((star) => ({
      starredAt: star.starred_at.getTime(),
      unstarredAt: time(star.unstarred_at),
    })),
    forks: forks.rows.map((fork) => ({ forkedAt: fork.forked_at.getTime() })),
  };
}
