import {
  crawlRunItem,
  DeferMessage,
  SchemaViolationError,
  type CrawlRepositoryPayload,
  type Database,
  type MessageHandler,
  type Queryable,
} from '@repopulse/core';
import { addCrawlRunCost, beginCrawlRun, finishCrawlRunItem } from '../crawl-runs/crawl-runs.js';
import { metricsComputeFollowUp } from '../facts/apply-fact-change.js';
import { upsertRepository } from '../repositories/upsert-repository.js';
import type { GitCrawler, GithubCrawler, GithubSince } from './crawl-backends.js';
import { classifyCrawlFailure } from './crawl-failures.js';
import { gitUrlCaller } from './crawl-target-caller.js';

export interface CrawlRepositoryOptions {
  /** For what must outlive the message's transaction: API cost spent, a last attempt's failure. */
  database: Database;
  github: GithubCrawler;
  git: GitCrawler;
  /** The worker's attempt limit: on the last attempt a failure is also recorded on the run. */
  maxAttempts: number;
}

/**
 * `crawl.repo`: one repository, from GitHub's API (github.com) and from its git history (every host).
 * Everything is written in the message's transaction, so a crawl interrupted anywhere (the engine killed,
 * a deferral) leaves nothing half-done and the redelivered message crawls again from where the last
 * committed crawl ended. The run counts the repository once, whatever the redeliveries.
 */
export function createCrawlRepositoryHandler(options: CrawlRepositoryOptions): MessageHandler {
  const { database, github, git } = options;
  return async ({ envelope, transaction, logger }) => {
    const payload = readPayload(envelope.payload);
    const isGithub = payload.host === 'github.com';
    const runId = payload.crawlRunId ?? envelope.id;
    const item = crawlRunItem(payload);
    // The run shows as running at once, outside the message's transaction (beginning is idempotent).
    await beginCrawlRun(database, {
      id: runId,
      kind: isGithub ? 'github-repo' : 'git',
      target: isGithub ? `${payload.owner}/${payload.name}` : (payload.gitUrl ?? item),
      requestedBy: payload.requestedBy,
      sourceId: payload.sourceId,
    });
    await database.query(
      `INSERT INTO crawl_run_items (run_id, item) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [runId, item],
    );
    await database.query(
      `UPDATE crawl_runs SET total = (SELECT count(*) FROM crawl_run_items WHERE run_id = $1) WHERE id = $1 AND total IS NULL`,
      [runId],
    );
    let apiCost = 0;
    const onCost = (cost: number) => {
      apiCost += cost;
      // Spent quota is spent even if this transaction rolls back: it is recorded at once, outside it.
      void addCrawlRunCost(database, runId, cost).catch((error: unknown) =>
        logger.warn('could not record crawl cost', { error: (error as Error).message }),
      );
    };

    try {
      const repositoryId = await upsertRepository(transaction, payload);
      // The URL named in the message, or derived from its host: checked as its namer's (supplier or admin).
      let gitUrl =
        payload.gitUrl ?? (isGithub ? null : `https://${payload.host}/${payload.owner}/${payload.name}.git`);
      let caller = await gitUrlCaller(transaction, payload);
      if (isGithub) {
        const since = await githubSince(transaction, repositoryId);
        const result = await github.crawlRepository({
          transaction,
          repositoryId,
          owner: payload.owner,
          name: payload.name,
          since,
          logger,
          onCost,
        });
        // The clone URL GitHub's API (GITHUB_API_URL, the operator's configuration) names for it.
        if (result.gitUrl) [gitUrl, caller] = [result.gitUrl, 'configuration'];
      }
      const commits = gitUrl
        ? await git.crawl({ transaction, repositoryId, gitUrl, caller, logger })
        : { newCommits: 0 };
      await transaction.query(
        `UPDATE repositories SET crawl_error = NULL, crawl_error_at = NULL WHERE id = $1`,
        [repositoryId],
      );
      await finishCrawlRunItem(transaction, runId, item, { status: 'done', apiCost });
      logger.info('repository crawled', { repository: item, runId, newCommits: commits.newCommits, apiCost });
      return [metricsComputeFollowUp(repositoryId)];
    } catch (error) {
      const failure = classifyCrawlFailure(error);
      if (failure.kind === 'deferred') throw new DeferMessage(failure.delayMs ?? 60_000, failure.reason);
      if (failure.kind === 'permanent') {
        // Not retried: the repository is gone or blocked. Recorded in this (committing) transaction.
        await recordPermanentFailure(transaction, payload, failure.reason);
        await finishCrawlRunItem(transaction, runId, item, {
          status: 'failed',
          error: failure.reason,
          apiCost,
        });
        logger.warn('repository crawl failed for good', { repository: item, runId, reason: failure.reason });
        return [];
      }
      if (envelope.attempt >= options.maxAttempts) {
        // The message goes to the dead-letter queue (replayable); the run shows the failure meanwhile.
        await database.transaction((outside) =>
          finishCrawlRunItem(outside, runId, item, { status: 'failed', error: failure.reason, apiCost }),
        );
      }
      throw error;
    }
  };
}

async function githubSince(transaction: Queryable, repositoryId: string): Promise<GithubSince> {
  const { rows } = await transaction.query<{
    pull_requests_synced_at: Date | null;
    issues_synced_at: Date | null;
    releases_synced_at: Date | null;
  }>(
    `SELECT pull_requests_synced_at, issues_synced_at, releases_synced_at FROM repositories WHERE id = $1 FOR UPDATE`,
    [repositoryId],
  );
  const row = rows[0];
  return {
    pullRequests: row?.pull_requests_synced_at ?? null,
    issues: row?.issues_synced_at ?? null,
    releases: row?.releases_synced_at ?? null,
  };
}

async function recordPermanentFailure(
  transaction: Queryable,
  payload: CrawlRepositoryPayload,
  reason: string,
): Promise<void> {
  await transaction.query(
    `UPDATE repositories SET crawl_error = $4, crawl_error_at = now()
     WHERE lower(host) = lower($1) AND lower(owner) = lower($2) AND lower(name) = lower($3)`,
    [payload.host, payload.owner, payload.name, reason.slice(0, 2_000)],
  );
}

function readPayload(payload: unknown): CrawlRepositoryPayload {
  const value = payload as Partial<CrawlRepositoryPayload> | null;
  for (const field of ['host', 'owner', 'name'] as const) {
    if (typeof value?.[field] !== 'string' || value[field] === '') {
      throw new SchemaViolationError(`The crawl.repo payload has no ${field}`, [
        { path: `/${field}`, message: 'is required' },
      ]);
    }
  }
  return value as CrawlRepositoryPayload;
}
