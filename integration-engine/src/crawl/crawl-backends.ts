import type { CrawlTargetCaller, Logger, Queryable } from '@repopulse/core';
import type { RepositoryMetadata } from '../repositories/update-repository-metadata.js';

/** Where the GitHub crawl of one repository left off last time: only what changed since is read. */
export interface GithubSince {
  pullRequests: Date | null;
  issues: Date | null;
  releases: Date | null;
}

/** The GitHub side of crawling, as the crawl handlers use it (implemented over the GitHub client). */
export interface GithubCrawler {
  /** Metadata, pull requests, issues and releases of one repository, written as facts in `transaction`. */
  crawlRepository(input: {
    transaction: Queryable;
    repositoryId: string;
    owner: string;
    name: string;
    since: GithubSince;
    logger: Logger;
    onCost: (cost: number) => void;
  }): Promise<{ gitUrl: string | null }>;
  /** Every repository of an organisation or user, with the metadata the listing carries. */
  listOwnerRepositories(input: { login: string; onCost: (cost: number) => void }): Promise<{
    ownerType: string;
    repositories: Array<{ owner: string; name: string; metadata: RepositoryMetadata }>;
  }>;
}

/** The git side: mirror a repository and write the commits new since the last crawl. */
export interface GitCrawler {
  crawl(input: {
    transaction: Queryable;
    repositoryId: string;
    gitUrl: string;
    /** Who named `gitUrl`: decides what it may be (`crawl-target-caller.ts`). */
    caller: CrawlTargetCaller;
    logger: Logger;
  }): Promise<{ newCommits: number }>;
}
