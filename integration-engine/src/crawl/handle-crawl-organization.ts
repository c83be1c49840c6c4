import {
  crawlRunItem,
  DeferMessage,
  SchemaViolationError,
  type CrawlOrganizationPayload,
  type CrawlRepositoryPayload,
  type Database,
  type FollowUp,
  type MessageHandler,
} from '@repopulse/core';
import { addCrawlRunCost, beginCrawlRun, failCrawlRun, planCrawlRunItems } from '../crawl-runs/crawl-runs.js';
import { updateRepositoryMetadata } from '../repositories/update-repository-metadata.js';
import { upsertRepository } from '../repositories/upsert-repository.js';
import type { GithubCrawler } from './crawl-backends.js';
import { classifyCrawlFailure } from './crawl-failures.js';

export interface CrawlOrganizationOptions {
  database: Database;
  github: GithubCrawler;
}

/**
 * `crawl.org`: lists every repository of a GitHub organisation or user, stores the metadata the listing
 * carries (one query per hundred repositories), plans them as the run's items and sends one `crawl.repo`
 * each. An owner GitHub does not know ends the run as failed with the reason.
 */
export function createCrawlOrganizationHandler(options: CrawlOrganizationOptions): MessageHandler {
  const { database, github } = options;
  return async ({ envelope, transaction, logger }) => {
    const payload = readPayload(envelope.payload);
    const runId = payload.crawlRunId ?? envelope.id;
    // The run shows as running at once, outside the message's transaction (beginning is idempotent).
    await beginCrawlRun(database, {
      id: runId,
      kind: payload.kind ?? 'github-org',
      target: payload.login,
      requestedBy: payload.requestedBy,
      sourceId: payload.sourceId,
    });
    let listing: Awaited<ReturnType<GithubCrawler['listOwnerRepositories']>>;
    try {
      listing = await github.listOwnerRepositories({
        login: payload.login,
        onCost: (cost) =>
          void addCrawlRunCost(database, runId, cost).catch((error: unknown) =>
            logger.warn('could not record crawl cost', { error: (error as Error).message }),
          ),
      });
    } catch (error) {
      const failure = classifyCrawlFailure(error);
      if (failure.kind === 'deferred') throw new DeferMessage(failure.delayMs ?? 60_000, failure.reason);
      if (failure.kind === 'permanent') {
        await failCrawlRun(transaction, runId, failure.reason);
        logger.warn('organisation crawl failed for good', {
          login: payload.login,
          runId,
          reason: failure.reason,
        });
        return [];
      }
      throw error;
    }
    const observedAt = new Date().toISOString();
    const followUps: FollowUp[] = [];
    const items: string[] = [];
    for (const repository of listing.repositories) {
      const reference = { host: 'github.com', owner: repository.owner, name: repository.name };
      const repositoryId = await upsertRepository(transaction, reference);
      await updateRepositoryMetadata(transaction, repositoryId, repository.metadata, observedAt);
      items.push(crawlRunItem(reference));
      const next: CrawlRepositoryPayload = {
        ...reference,
        crawlRunId: runId,
        requestedBy: payload.requestedBy,
        sourceId: payload.sourceId,
        metadataFetched: true,
      };
      followUps.push({ type: 'crawl.repo', payload: next });
    }
    await planCrawlRunItems(transaction, runId, items);
    logger.info('organisation listed', { login: payload.login, runId, repositories: items.length });
    return followUps;
  };
}

function readPayload(payload: unknown): CrawlOrganizationPayload {
  const value = payload as Partial<CrawlOrganizationPayload> | null;
  if (typeof value?.login !== 'string' || value.login === '') {
    throw new SchemaViolationError('The crawl.org payload has no login', [
      { path: '/login', message: 'is required' },
    ]);
  }
  if (value.host !== undefined && value.host !== 'github.com') {
    throw new SchemaViolationError('Only GitHub organisations can be listed', [
      { path: '/host', message: 'must be github.com' },
    ]);
  }
  return { host: 'github.com', ...value } as CrawlOrganizationPayload;
}
