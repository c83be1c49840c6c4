import type { Database } from '@repopulse/core';
import { crawlGitRepository, type GitRemoteGuard } from '../git-crawler/crawl-git-repository.js';
import { crawlGithubRepository } from '../github/crawl-github-repository.js';
import type { GithubClient } from '../github/github-client.js';
import { listOwnerRepositories } from '../github/list-owner-repositories.js';
import type { GitCrawler, GithubCrawler } from './crawl-backends.js';

/**
 * The crawl handlers' GitHub side, over the GitHub client. The people a crawl meets are written through
 * `database`, outside the message's transaction (see `CrawlGithubRepositoryOptions.people`).
 */
export function githubCrawlerOver(client: GithubClient, database: Database): GithubCrawler {
  return {
    async crawlRepository(input) {
      const result = await crawlGithubRepository({
        client,
        transaction: input.transaction,
        people: database,
        repositoryId: input.repositoryId,
        owner: input.owner,
        name: input.name,
        since: input.since,
        logger: input.logger,
        onCost: input.onCost,
      });
      return { gitUrl: result.gitUrl };
    },
    listOwnerRepositories: (input) =>
      listOwnerRepositories({ client, login: input.login, onCost: input.onCost }),
  };
}

/** The crawl handlers' git side: bare mirrors under `cacheDir`, every remote through the guard. */
export function gitCrawlerIn(cacheDir: string, guard: GitRemoteGuard): GitCrawler {
  return { crawl: (input) => crawlGitRepository({ ...input, cacheDir, guard }) };
}
