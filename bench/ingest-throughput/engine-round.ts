// One engine round of the ingest-throughput benchmark: the queue is filled first, then the engine starts
// as a child process and is timed from its first transaction until every batch is committed.
import { createEnvelope, type Queryable } from '@repopulse/core';
import { connectTestBroker, queueDepth, removeTestTopology, testQueuePrefix } from '@repopulse/core/testing';
import { startServer, stopServer } from '../support/bench-servers.js';
import type { Dataset } from './generate-events.js';

const retryDelaysMs = [1_000, 10_000, 60_000, 300_000];
const publishConcurrency = 16;
const pollIntervalMs = 50;
const roundTimeoutMs = 30 * 60_000;

export interface EngineRoundOptions {
  database: Queryable;
  databaseUrl: string;
  dataset: Dataset;
  engineEnv: Record<string, string>;
}

export interface EngineRound {
  eventsPerSecond: number;
  ms: number;
  /** What the database holds afterwards; the benchmark checks it against the dataset. */
  facts: FactCounts;
}

export interface FactCounts {
  commits: number;
  pullRequests: number;
  issues: number;
  rollupCommits: number;
  rollupPullRequestsOpened: number;
  rollupIssuesOpened: number;
}

/** Publishes every batch of the dataset, as the gateway would (confirmed, persistent), before any consumer runs. */
async function preloadQueue(prefix: string, dataset: Dataset): Promise<void> {
  const broker = await connectTestBroker({ prefix, retryDelaysMs, confirmTimeoutMs: 60_000 });
  try {
    const pending = [...dataset.batches];
    const publishNext = async (): Promise<void> => {
      for (let batch = pending.shift(); batch; batch = pending.shift()) {
        await broker.publish('ingest.events', createEnvelope('ingest.events', batch));
      }
    };
    await Promise.all(Array.from({ length: publishConcurrency }, publishNext));
    const depth = await queueDepth(broker.names.queue('ingest.events'));
    if (depth !== dataset.batches.length) {
      throw new Error(`ingest.events holds ${depth} messages, ${dataset.batches.length} were published`);
    }
  } finally {
    await broker.close();
  }
}

/**
 * Both ends on the database's clock: the first batch transaction's start (`processed_messages.processed_at`
 * is its `now()`) and the poll that saw the last one committed. The inbox row commits with the facts,
 * so counting 200 inbox rows says the same as counting 100,000 facts, at a fraction of the cost.
 */
async function waitUntilAllCommitted(database: Queryable, batches: number): Promise<number> {
  const deadline = Date.now() + roundTimeoutMs;
  for (;;) {
    const { rows } = await database.query<{ done: number; ms: number | null }>(
      `SELECT count(*)::integer AS done,
              (extract(epoch FROM clock_timestamp() - min(processed_messages.processed_at)) * 1000)::float8 AS ms
         FROM processed_messages WHERE processed_messages.consumer = 'ingest.events'`,
    );
    if (rows[0]!.done >= batches) return rows[0]!.ms!;
    if (Date.now() > deadline)
      throw new Error(`only ${rows[0]!.done} of ${batches} batches committed in time`);
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

async function countFacts(database: Queryable): Promise<FactCounts> {
  const { rows } = await database.query<FactCounts>(
    `SELECT (SELECT count(*) FROM commits)::integer AS "commits",
            (SELECT count(*) FROM pull_requests)::integer AS "pullRequests",
            (SELECT count(*) FROM issues)::integer AS "issues",
            (SELECT coalesce(sum(activity_daily.commits), 0) FROM activity_daily)::integer AS "rollupCommits",
            (SELECT coalesce(sum(activity_daily.pull_requests_opened), 0) FROM activity_daily)::integer
              AS "rollupPullRequestsOpened",
            (SELECT coalesce(sum(activity_daily.issues_opened), 0) FROM activity_daily)::integer AS "rollupIssuesOpened"`,
  );
  return rows[0]!;
}

export async function engineRound(options: EngineRoundOptions): Promise<EngineRound> {
  const { database, dataset } = options;
  const prefix = testQueuePrefix().replace('test-', 'bench-');
  try {
    await preloadQueue(prefix, dataset);
    const engine = await startServer('integration-engine/src/index.ts', {
      ...options.engineEnv,
      DATABASE_URL: options.databaseUrl,
      QUEUE_PREFIX: prefix,
      QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
    });
    try {
      const ms = await Promise.race([waitUntilAllCommitted(database, dataset.batches.length), engine.exited]);
      return { eventsPerSecond: dataset.events / (ms / 1_000), ms, facts: await countFacts(database) };
    } finally {
      await stopServer(engine);
    }
  } finally {
    await removeTestTopology(prefix, retryDelaysMs);
  }
}
