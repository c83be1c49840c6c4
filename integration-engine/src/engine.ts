import type { BrokerConnection } from '@repopulse/core';
import {
  createCrawlHostAllowlistReader,
  createCrawlTargetPolicy,
  createDatabaseAvailability,
  createGenericEventBatchValidator,
  createOutboxRelay,
  createQueueWorker,
  type CrawlTargetPolicyOptions,
  type Database,
  type Logger,
  type MessageHandler,
  type QueueWorker,
} from '@repopulse/core';
import type { Registry } from 'prom-client';
import { gitCrawlerIn, githubCrawlerOver } from './crawl/crawl-backends-live.js';
import { createCrawlOrganizationHandler } from './crawl/handle-crawl-organization.js';
import { createCrawlRepositoryHandler } from './crawl/handle-crawl-repository.js';
import { createOwnerActivityFolder } from './activity/owner-activity-folder.js';
import { createEngineMetrics } from './engine-metrics.js';
import { createGitRemoteGuard } from './git-crawler/crawl-git-repository.js';
import { createGithubClient } from './github/github-client.js';
import { createMetricsComputeHandler } from './metrics/handle-metrics-compute.js';
import { createGithubWebhookHandler } from './github-webhooks/handle-github-webhook.js';
import { createIngestEventsHandler } from './ingest-events/handle-ingest-events.js';

export interface EngineOptions {
  database: Database;
  broker: BrokerConnection;
  logger: Logger;
  registry: Registry;
  prefetch: number;
  maxAttempts: number;
  retryDelaysMs: readonly number[];
  github: { apiUrl: string; tokens: readonly string[] };
  gitCacheDir: string;
  /**
   * What git may reach: `allowLocal` is GIT_ALLOW_LOCAL (local and private targets of admins' sources).
   * Tests may also give a resolver and addresses to count as public; the composition root gives neither.
   */
  gitTargets: Pick<CrawlTargetPolicyOptions, 'allowLocal' | 'resolveHost' | 'publicAddressesForTests'>;
  /** How long a metrics.compute follow-up of ingested facts waits, coalescing (none when absent). */
  metricsComputeDelayMs?: number;
}

export interface Engine {
  start(): Promise<void>;
  /** Stops consuming, lets in-flight messages commit, stops the relay. Safe to call twice. */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Messages in flight per queue. Ingest takes the configured prefetch; crawls and metrics are heavy (a
 * clone, a year of series) and a crawl handler also uses a second connection outside its transaction
 * (run progress, API cost, the token pool, the GitHub people it meets), so they take few at a time.
 */
export function prefetchOf(queue: string, prefetch: number): number {
  if (queue === 'crawl.org') return 1;
  if (queue === 'crawl.repo' || queue === 'metrics.compute') return Math.min(prefetch, 4);
  return prefetch;
}

/**
 * Connections the engine's pool needs so no handler waits forever for its second connection: one per
 * message in flight, a second for each crawl, and some for the relay and health checks.
 */
export function engineConnectionsNeeded(prefetch: number): number {
  const queues = ['ingest.events', 'ingest.github-webhook', 'crawl.org', 'crawl.repo', 'metrics.compute'];
  const inFlight = queues.reduce((sum, queue) => sum + prefetchOf(queue, prefetch), 0);
  const crawls = prefetchOf('crawl.org', prefetch) + prefetchOf('crawl.repo', prefetch);
  return inFlight + crawls + 4;
}

/**
 * The workers of the engine, one per queue it handles, the outbox relay that sends their follow-ups, and
 * the folder of the owners' activity changes.
 */
export function createEngine(options: EngineOptions): Engine {
  const { database, broker, logger } = options;
  const metrics = createEngineMetrics(options.registry);
  const relay = createOutboxRelay({ database, publisher: broker, logger });
  // While PostgreSQL is away (a restart, a failover) every worker stops consuming and resumes by itself.
  const databaseAvailability = createDatabaseAvailability({ database, logger });
  const metricsComputeDelayMs = options.metricsComputeDelayMs ?? 0;
  const ownerActivityFolder = createOwnerActivityFolder({ database, logger });
  // The engine re-validates what the gateway accepted; its cap is the schema's, not the gateway's.
  const github = githubCrawlerOver(
    createGithubClient({ apiUrl: options.github.apiUrl, tokens: options.github.tokens, database, logger }),
    database,
  );
  // Suppliers' targets must be on the admins' allowlist here too, read within 10 s of an edit.
  const allowedHosts = createCrawlHostAllowlistReader({ database, cacheTtlMs: 10_000, logger });
  const guard = createGitRemoteGuard({
    policy: createCrawlTargetPolicy({ ...options.gitTargets, allowedHosts }),
  });
  const handlers: Record<string, MessageHandler> = {
    'ingest.events': createIngestEventsHandler(
      createGenericEventBatchValidator(100_000),
      metricsComputeDelayMs,
    ) as MessageHandler,
    'ingest.github-webhook': createGithubWebhookHandler(metricsComputeDelayMs),
    'crawl.org': createCrawlOrganizationHandler({ database, github }),
    'crawl.repo': createCrawlRepositoryHandler({
      database,
      github,
      git: gitCrawlerIn(options.gitCacheDir, guard),
      maxAttempts: options.maxAttempts,
    }),
    'metrics.compute': createMetricsComputeHandler(),
  };
  const workers: QueueWorker[] = Object.entries(handlers).map(([queue, handler]) =>
    createQueueWorker({
      queue,
      handler,
      database,
      broker,
      relay,
      logger,
      prefetch: prefetchOf(queue, options.prefetch),
      maxAttempts: options.maxAttempts,
      retryDelaysMs: options.retryDelaysMs,
      databaseAvailability,
      onOutcome: metrics.outcome(queue),
      // A message PostgreSQL refused for its data runs again at once, isolating the refused part.
      isolatesDataErrors: queue === 'ingest.events' || queue === 'ingest.github-webhook',
    }),
  );
  let stopped: Promise<void> | undefined;
  return {
    async start() {
      relay.start();
      ownerActivityFolder.start();
      for (const worker of workers) await worker.start();
    },
    stop(timeoutMs = 10_000) {
      stopped ??= (async () => {
        await Promise.all(workers.map((worker) => worker.stop(timeoutMs)));
        databaseAvailability.stop();
        await relay.stop();
        await ownerActivityFolder.stop();
      })();
      return stopped;
    },
  };
}
