import type { Database, Logger, Queryable } from '@repopulse/core';
import { refreshActivityDays } from '../activity/refresh-activity-days.js';
import { TouchedDays } from '../activity/touched-days.js';
import { applyFactChange, type FactChange } from '../facts/apply-fact-change.js';
import { upsertGithubPeople } from '../people/upsert-github-people.js';
import {
  updateRepositoryMetadata,
  type RepositoryMetadata,
} from '../repositories/update-repository-metadata.js';
import {
  crawlIssues,
  crawlPullRequests,
  crawlReleases,
  type CrawlPartContext,
} from './crawl-github-parts.js';
import {
  advanceGithubSyncTimes,
  readGithubSyncTimes,
  type GithubSyncTimes,
} from './crawl-github-sync-times.js';
import type { GithubClient } from './github-client.js';
import { GithubNotFoundError } from './github-errors.js';
import {
  repositoryMetadataFromNode,
  repositoryMetadataQuery,
  type RepositoryMetadataAnswer,
} from './repository-metadata-query.js';

export interface CrawlGithubRepositoryOptions {
  client: GithubClient;
  /** Where the crawl writes, unless `database` is given. */
  transaction: Queryable;
  /**
   * When given, every page of facts, the metadata and each sync time commit on their own through it, so
   * a crawl cut short (a rate limit, a deploy) keeps what it read and the next one resumes from there.
   * The caller's `transaction` must then not hold the repository's row (it would wait on itself).
   */
  database?: Database;
  /**
   * Where the GitHub users the crawl meets are stored (`github_people`), each page in one short statement
   * of its own: the engine passes its pool. People are shared by every repository's crawl, and a row
   * written in a crawl's long transaction stays locked until that crawl commits, holding up every other
   * crawl that meets the same person; a person's profile is an observation, not a fact of this repository,
   * and needs no rollback with it. Left out, people are written where the facts are.
   */
  people?: Queryable;
  repositoryId: string;
  owner: string;
  name: string;
  /** Where each part starts: items updated before it are not read again. Read from the row when left out. */
  since?: Partial<GithubSyncTimes>;
  logger: Logger;
  onCost?: (cost: number) => void;
  signal?: AbortSignal;
  /** The clock, for the sync times (tests). */
  now?: () => Date;
}

export interface CrawlGithubRepositoryResult {
  /** The repository as GitHub names it now: different from what was asked after a rename or transfer. */
  owner: string;
  name: string;
  metadata: RepositoryMetadata;
  gitUrl: string | null;
  /** Facts written by this crawl. */
  counts: { pullRequests: number; issues: number; releases: number };
  /** The sync times stored: the crawl's start, less the safety margin. */
  syncedAt: GithubSyncTimes;
  /** GraphQL points plus REST requests that were not answered from the cache. */
  cost: number;
}

/**
 * The sync times are the crawl's start less this margin: an item updated while the crawl paged past
 * its place, or stamped by a GitHub clock a little behind ours, is read again next time (upserts make
 * that harmless) rather than missed.
 */
const syncSafetyMarginMs = 5 * 60_000;

interface RestRepository {
  id: number;
  name: string;
  full_name: string;
  owner: { login: string };
  clone_url?: string;
}

/**
 * Crawls one GitHub repository: metadata, then pull requests, issues and releases updated since the last
 * crawl, each written as facts with their activity days, and the GitHub users they name with their
 * profile companies. A part's sync time advances only once that part has been read to the end. GitHub's
 * errors propagate as the client raised them: not found or unavailable (permanent), rate limited
 * (defer), others (retry).
 */
export async function crawlGithubRepository(
  options: CrawlGithubRepositoryOptions,
): Promise<CrawlGithubRepositoryResult> {
  const { client, repositoryId, signal } = options;
  const startedAt = (options.now ?? (() => new Date()))();
  const syncTime = new Date(startedAt.getTime() - syncSafetyMarginMs);
  let cost = 0;
  const spend = (amount: number) => {
    cost += amount;
    options.onCost?.(amount);
  };
  const writeIn = <T>(work: (transaction: Queryable) => Promise<T>) =>
    options.database ? options.database.transaction(work) : work(options.transaction);

  const since = await sinceOf(options);
  const resolved = await resolveRepository(client, options.owner, options.name, spend, signal);
  const { owner, name } = resolved;
  const metadata = await fetchMetadata(client, owner, name, spend, signal);
  if (resolved.cloneUrl) metadata.gitUrl = resolved.cloneUrl;
  await writeIn((transaction) =>
    updateRepositoryMetadata(transaction, repositoryId, metadata, startedAt.toISOString()),
  );

  const context: CrawlPartContext = {
    client,
    owner,
    name,
    signal,
    spend,
    write: (changes) =>
      changes.length === 0 ? Promise.resolve() : writeIn(writeFacts(repositoryId, changes)),
    writePeople: async (people) => {
      if (people.length === 0) return;
      if (options.people) await upsertGithubPeople(options.people, people);
      else await writeIn((transaction) => upsertGithubPeople(transaction, people));
    },
  };
  // Each part's sync time moves once that part has been read to its end, and not before.
  const parts = {
    pullRequests: () => crawlPullRequests(context, since.pullRequests),
    // A repository with issues turned off has none to read.
    issues: () => (metadata.hasIssues === false ? Promise.resolve(0) : crawlIssues(context, since.issues)),
    releases: () => crawlReleases(context, since.releases, startedAt.toISOString()),
  };
  const counts = { pullRequests: 0, issues: 0, releases: 0 };
  for (const part of ['pullRequests', 'issues', 'releases'] as const) {
    counts[part] = await parts[part]();
    await writeIn((transaction) => advanceGithubSyncTimes(transaction, repositoryId, { [part]: syncTime }));
  }

  options.logger.info('github repository crawled', { repositoryId, owner, name, ...counts, cost });
  return {
    owner,
    name,
    metadata,
    gitUrl: metadata.gitUrl ?? null,
    counts,
    syncedAt: { pullRequests: syncTime, issues: syncTime, releases: syncTime },
    cost,
  };
}

/** The caller's `since`, completed from the repository's row for any part it leaves out. */
async function sinceOf(options: CrawlGithubRepositoryOptions): Promise<GithubSyncTimes> {
  const given = options.since ?? {};
  const { pullRequests, issues, releases } = given;
  if (pullRequests !== undefined && issues !== undefined && releases !== undefined) {
    return { pullRequests, issues, releases };
  }
  const stored = await readGithubSyncTimes(options.transaction, options.repositoryId);
  return {
    pullRequests: pullRequests === undefined ? stored.pullRequests : pullRequests,
    issues: issues === undefined ? stored.issues : issues,
    releases: releases === undefined ? stored.releases : releases,
  };
}

function writeFacts(repositoryId: string, changes: readonly FactChange[]) {
  return async (transaction: Queryable) => {
    const touched = new TouchedDays();
    for (const change of changes) await applyFactChange(transaction, repositoryId, change, touched);
    await refreshActivityDays(transaction, touched);
  };
}

/**
 * REST first, for two things GraphQL cannot do: it follows a renamed or transferred repository (GitHub
 * redirects the old name) where GraphQL answers NOT_FOUND, and it has the clone URL. It is one request
 * of the core quota, free when the ETag still matches; a 404 or 451 ends the crawl before any GraphQL
 * point is spent.
 */
async function resolveRepository(
  client: GithubClient,
  owner: string,
  name: string,
  spend: (cost: number) => void,
  signal: AbortSignal | undefined,
): Promise<{ owner: string; name: string; cloneUrl: string | undefined }> {
  const answer = await client.rest<RestRepository>(
    `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`,
    { signal },
  );
  spend(answer.cost);
  return { owner: answer.data.owner.login, name: answer.data.name, cloneUrl: answer.data.clone_url };
}

async function fetchMetadata(
  client: GithubClient,
  owner: string,
  name: string,
  spend: (cost: number) => void,
  signal: AbortSignal | undefined,
): Promise<RepositoryMetadata> {
  const { data, cost } = await client.graphql<RepositoryMetadataAnswer>(
    repositoryMetadataQuery,
    { owner, name },
    { signal },
  );
  spend(cost);
  if (!data.repository) throw new GithubNotFoundError(404, `GitHub has no ${owner}/${name}`);
  return repositoryMetadataFromNode(data.repository);
}
