import { NotFoundError, type Queryable } from '@repopulse/core';

/** The default branch's head when the repository's git history was last read; null before the first crawl. */
export async function readGitHead(transaction: Queryable, repositoryId: string): Promise<string | null> {
  const { rows } = await transaction.query<{ git_head: string | null }>(
    'SELECT repositories.git_head FROM repositories WHERE repositories.id = $1',
    [repositoryId],
  );
  if (rows.length === 0) throw new NotFoundError(`repository ${repositoryId} does not exist`);
  return rows[0]!.git_head;
}

export interface GitCrawlState {
  repositoryId: string;
  head: string | null;
  defaultBranch: string | null;
  gitUrl: string;
}

/** Where the crawl left off. The default branch is only filled in: GitHub's metadata, where known, wins. */
export async function recordGitCrawl(transaction: Queryable, state: GitCrawlState): Promise<void> {
  await transaction.query(
    `UPDATE repositories SET git_head = $2, git_crawled_at = now(),
       default_branch = coalesce(repositories.default_branch, $3), git_url = $4, updated_at = now()
     WHERE repositories.id = $1`,
    [state.repositoryId, state.head, state.defaultBranch, state.gitUrl],
  );
}
