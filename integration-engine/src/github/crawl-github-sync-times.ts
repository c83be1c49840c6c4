import type { Queryable } from '@repopulse/core';

/** Where each part of a repository's GitHub crawl left off: null for a part never crawled. */
export interface GithubSyncTimes {
  pullRequests: Date | null;
  issues: Date | null;
  releases: Date | null;
}

export async function readGithubSyncTimes(
  transaction: Queryable,
  repositoryId: string,
): Promise<GithubSyncTimes> {
  const { rows } = await transaction.query<{
    pull_requests_synced_at: Date | null;
    issues_synced_at: Date | null;
    releases_synced_at: Date | null;
  }>(
    `SELECT r.pull_requests_synced_at, r.issues_synced_at, r.releases_synced_at FROM repositories r WHERE r.id = $1`,
    [repositoryId],
  );
  const row = rows[0];
  return {
    pullRequests: row?.pull_requests_synced_at ?? null,
    issues: row?.issues_synced_at ?? null,
    releases: row?.releases_synced_at ?? null,
  };
}

/**
 * Moves the sync times of the parts given forward (never back: a slower, older crawl finishing last
 * does not undo a newer one). A part left out keeps its time.
 */
export async function advanceGithubSyncTimes(
  transaction: Queryable,
  repositoryId: string,
  times: Partial<GithubSyncTimes>,
): Promise<void> {
  await transaction.query(
    `UPDATE repositories r SET
       pull_requests_synced_at = greatest(r.pull_requests_synced_at, $2::timestamptz),
       issues_synced_at = greatest(r.issues_synced_at, $3::timestamptz),
       releases_synced_at = greatest(r.releases_synced_at, $4::timestamptz),
       updated_at = now()
     WHERE r.id = $1`,
    [repositoryId, times.pullRequests ?? null, times.issues ?? null, times.releases ?? null],
  );
}
