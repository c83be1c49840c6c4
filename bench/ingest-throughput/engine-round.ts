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
  /**
   * Batches on repositories of another owner, queued ahead of the dataset's and not timed: the engine's code
   * is then compiled and its connections open, as in a process that has been running, when the timed
   * batches start (a fresh process spends its first seconds' CPU on compiling; see the README).
   */
  warmUp?: Dataset;
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

/**
 * Publishes every batch of the warm-up, then of the dataset, as the gateway would (confirmed, persistent),
 * before any consumer runs; answers the message ids of the dataset's batches, the ones timed.
 */
async function preloadQueue(prefix: string, dataset: Dataset, warmUp?: Dataset): Promise<string[]> {
  const broker = await connectTestBroker({ prefix, retryDelaysMs, confirmTimeoutMs: 60_000 });
  try {
    const publishAll = async (batches: Dataset['batches']): Promise<string[]> => {
      const envelopes = batches.map((batch) => createEnvelope('ingest.events', batch));
      const pending = [...envelopes];
      const publishNext = async (): Promise<void> => {
        for (let envelope = pending.shift(); envelope; envelope = pending.shift()) {
          await broker.publish('ingest.events', envelope);
        }
      };
      await Promise.all(Array.from({ length: publishConcurrency }, publishNext));
      return envelopes.map((envelope) => envelope.id);
    };
    if (warmUp) await publishAll(warmUp.batches);
    const timed = await publishAll(dataset.batches);
    const published = dataset.batches.length + (warmUp?.batches.length ?? 0);
    const depth = await queueDepth(broker.names.queue('ingest.events'));
    if (depth !== published) {
      throw new Error(`ingest.events holds ${depth} messages, ${published} were published`);
    }
    return timed;
  } finally {
    await broker.close();
  }
}

/**
 * Both ends on the database's clock: the first timed batch transaction's start (`processed_messages.processed_at`
 * is its `now()`) and the poll that saw the last one committed. The inbox row commits with the facts,
 * so counting 200 inbox rows says the same as counting 100,000 facts, at a fraction of the cost.
 */
async function waitUntilAllCommitted(database: Queryable, messageIds: string[]): Promise<number> {
  const deadline = Date.now() + roundTimeoutMs;
  for (;;) {
    const { rows } = await database.query<{ done: number; ms: number | null }>(
      `SELECT count(*)::integer AS done,
              (extract(epoch FROM clock_timestamp() - min(processed_messages.processed_at)) * 1000)::float8 AS ms
         FROM processed_messages
        WHERE processed_messages.consumer = 'ingest.events' AND processed_messages.message_id = ANY($1::text[])`,
      [messageIds],
    );
    if (rows[0]!.done >= messageIds.length) return rows[0]!.ms!;
    if (Date.now() > deadline)
      throw new Error(`only ${rows[0]!.done} of ${messageIds.length} batches committed in time`);
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

/** The facts and rollups of the dataset's owner (the warm-up's repositories have another). */
async function countFacts(database: Queryable, owner: string): Promise<FactCounts> {
  const { rows } = await database.query<FactCounts>(
    `WITH timed AS (SELECT repositories.id FROM repositories WHERE repositories.owner = $1)
     SELECT (SELECT count(*) FROM commits WHERE commits.repository_id IN (SELECT id FROM timed))::integer AS "commits",
            (SELECT count(*) FROM pull_requests WHERE pull_requests.repository_id IN (SELECT id FROM timed))::integer
              AS "pullRequests",
            (SELECT count(*) FROM issues WHERE issues.repository_id IN (SELECT id FROM timed))::integer AS "issues",
            (SELECT coalesce(sum(a.commits), 0) FROM activity_daily a WHERE a.repository_id IN (SELECT id FROM timed))::integer
              AS "rollupCommits",
            (SELECT coalesce(sum(a.pull_requests_opened), 0) FROM activity_daily a
              WHERE a.repository_id IN (SELECT id FROM timed))::integer AS "rollupPullRequestsOpened",
            (SELECT coalesce(sum(a.issues_opened), 0) FROM activity_daily a
              WHERE a.repository_id IN (SELECT id FROM timed))::integer AS "rollupIssuesOpened"`,
    [owner],
  );
  return rows[0]!;
}

export async function engineRound(options: EngineRoundOptions): Promise<EngineRound> {
  const { database, dataset } = options;
  const prefix = testQueuePrefix().replace('test-', 'bench-');
  try {
    const timed = await preloadQueue(prefix, dataset, options.warmUp);
    const engine = await startServer('integration-engine/src/index.ts', {
      ...options.engineEnv,
      DATABASE_URL: options.databaseUrl,
      QUEUE_PREFIX: prefix,
      QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
    });
    try {
      const ms = await Promise.race([waitUntilAllCommitted(database, timed), engine.exited]);
      return {
        eventsPerSecond: dataset.events / (ms / 1_000),
        ms,
        facts: await countFacts(database, dataset.batches[0]!.events[0]!.repository.owner),
      };
    } finally {
      await stopServer(engine);
    }
  } finally {
    await removeTestTopology(prefix, retryDelaysMs);
  }
}
