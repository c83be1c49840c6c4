import type { Queryable } from '@repopulse/core';

export interface ActivityCounts {
  commits: number;
  pullRequestsOpened: number;
  pullRequestsMerged: number;
  issuesOpened: number;
  issuesClosed: number;
  releases: number;
  stars: number;
  forks: number;
}

const noActivity: ActivityCounts = {
  commits: 0,
  pullRequestsOpened: 0,
  pullRequestsMerged: 0,
  issuesOpened: 0,
  issuesClosed: 0,
  releases: 0,
  stars: 0,
  forks: 0,
};

/** Inserts a repository row and returns its id. */
export async function insertRepository(
  database: Queryable,
  identity: { host?: string; owner: string; name: string },
): Promise<string> {
  const result = await database.query<{ id: string }>(
    'INSERT INTO repositories (host, owner, name) VALUES ($1, $2, $3) RETURNING id::text AS id',
    [identity.host ?? 'github.com', identity.owner, identity.name],
  );
  return result.rows[0]!.id;
}

/** Inserts one day of the activity_daily rollup; counts left out are zero. */
export async function insertActivityDay(
  database: Queryable,
  repositoryId: string,
  day: string,
  counts: Partial<ActivityCounts>,
): Promise<void> {
  const row = { ...noActivity, ...counts };
  await database.query(
    `INSERT INTO activity_daily (repository_id, day, commits, pull_requests_opened, pull_requests_merged,
                                 issues_opened, issues_closed, releases, stars, forks)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      repositoryId,
      day,
      row.commits,
      row.pullRequestsOpened,
      row.pullRequestsMerged,
      row.issuesOpened,
      row.issuesClosed,
      row.releases,
      row.stars,
      row.forks,
    ],
  );
}

/** The bucket an answer should hold: `start` is a date (midnight UTC); counts left out are zero. */
export function bucket(
  startDate: string,
  counts: Partial<ActivityCounts> = {},
): { start: string } & ActivityCounts {
  return { start: `${startDate}T00:00:00Z`, ...noActivity, ...counts };
}
