import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrokerConnection } from '@repopulse/core';
import {
  createEnvelope,
  createCrawlTargetPolicy,
  createGenericEventBatchValidator,
  startHttpServer,
  type RunningServer,
} from '@repopulse/core';
import {
  createTestDatabase,
  drainQueue,
  queueDepth,
  removeTestTopology,
  testLogger,
  testQueuePrefix,
  waitFor,
  type TestDatabase,
  connectTestBroker,
  proxiedFetch,
  testForwardedIdentity,
} from '@repopulse/core/testing';
import { Registry } from 'prom-client';
import { createApp as createInputGateway } from '../../input-gateway/src/app.js';
import { createApp as createOutputGateway } from '../../output-gateway/src/app.js';
import { createGithubWebhookValidators } from '../../input-gateway/src/webhooks/index.js';
import { createEngine, type Engine } from '../../integration-engine/src/engine.js';

const retryDelaysMs = [100, 200];
const maxAttempts = 3;
const repository = { host: 'github.com', owner: 'acme', name: 'rockets' };

function event(id: string, type: string, action: string, occurredAt: string, data: object, actor?: object) {
  return { id, type, action, repository, occurredAt, data, ...(actor ? { actor } : {}) };
}

describe('the first data path: input gateway → RabbitMQ → engine → PostgreSQL → output gateway', () => {
  const prefix = testQueuePrefix();
  const logger = testLogger();
  let testDatabase: TestDatabase;
  const brokers: BrokerConnection[] = [];
  let engine: Engine;
  let input: RunningServer;
  let output: RunningServer;

  async function connectBroker() {
    const broker = await connectTestBroker({ logger, prefix, retryDelaysMs, confirmTimeoutMs: 5_000 });
    brokers.push(broker);
    return broker;
  }

  before(async () => {
    testDatabase = await createTestDatabase();
    const gatewayBroker = await connectBroker();
    const engineBroker = await connectBroker();
    input = await startHttpServer(
      createInputGateway({
        publisher: gatewayBroker,
        brokerCheck: () => gatewayBroker.check(),
        validateBatch: createGenericEventBatchValidator(1_000),
        maxBodyBytes: 1024 * 1024,
        maxEvents: 1_000,
        webhookValidators: createGithubWebhookValidators(),
        webhookSecrets: { candidatesFor: async () => ({ candidates: [], complete: true }) },
        webhookMaxBodyBytes: 1024 * 1024,
        // No crawl requests here: every target refused.
        crawlTargets: {
          policy: createCrawlTargetPolicy({ allowLocal: false }),
          allowedHosts: async () => new Set<string>(),
          allowLocal: false,
          findGitSource: async () => undefined,
        },
        logger,
        registry: new Registry(),
        forwardedIdentity: testForwardedIdentity,
      }),
      0,
      '127.0.0.1',
    );
    engine = createEngine({
      database: testDatabase.database,
      broker: engineBroker,
      logger,
      registry: new Registry(),
      prefetch: 8,
      maxAttempts,
      retryDelaysMs,
      // This test crawls nothing: no GitHub is reachable and no mirror is made.
      github: { apiUrl: 'http://127.0.0.1:9', tokens: [] },
      gitCacheDir: path.join(os.tmpdir(), 'repopulse-e2e-unused-git-cache'),
      gitTargets: { allowLocal: false },
    });
    await engine.start();
    output = await startHttpServer(
      createOutputGateway({
        database: testDatabase.database,
        logger,
        registry: new Registry(),
        forwardedIdentity: testForwardedIdentity,
      }),
      0,
      '127.0.0.1',
    );
  });

  after(async () => {
    await input.close();
    await output.close();
    await engine.stop();
    for (const broker of brokers) await broker.close();
    await removeTestTopology(prefix, retryDelaysMs);
    await testDatabase.drop();
  });

  test('a batch POSTed to the input gateway shows in the activity endpoint, counted per week', async () => {
    const batch = {
      source: 'forge-x',
      events: [
        event('c1', 'commit', 'pushed', '2026-10-05T23:30:00Z', { sha: '1'.repeat(40) }), // Monday week of 10-05
        event('c2', 'commit', 'pushed', '2026-10-11T23:59:59Z', { sha: '2'.repeat(40) }), // Sunday, same week
        event('c3', 'commit', 'pushed', '2026-10-12T00:00:00Z', { sha: '3'.repeat(40) }), // Monday, next week
        event('p1', 'pull_request', 'opened', '2026-10-06T10:00:00Z', { number: 1 }),
        event('p2', 'pull_request', 'merged', '2026-10-13T10:00:00Z', { number: 1 }),
        event('i1', 'issue', 'opened', '2026-10-06T10:00:00Z', { number: 5 }),
        event('i2', 'issue', 'closed', '2026-10-14T10:00:00Z', { number: 5 }),
        event('r1', 'release', 'published', '2026-10-14T10:00:00Z', { tag: 'v2.0.0' }),
        event('s1', 'star', 'created', '2026-10-07T10:00:00Z', {}, { login: 'fan' }),
        event('f1', 'fork', 'created', '2026-10-07T11:00:00Z', { fork: { owner: 'fan', name: 'rockets' } }),
      ],
    };
    const posted = performance.now();
    const response = await proxiedFetch(`http://127.0.0.1:${input.port}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch),
    });
    assert.equal(response.status, 202);

    const activityUrl = `http://127.0.0.1:${output.port}/v1/repositories/acme/rockets/activity?from=2026-10-05&to=2026-10-19&interval=week`;
    const activity = await waitFor(
      async () => {
        const answer = await proxiedFetch(activityUrl);
        if (answer.status !== 200) return undefined;
        const body = (await answer.json()) as { series: Array<Record<string, unknown>> };
        const commits = body.series.reduce((sum, bucket) => sum + Number(bucket.commits), 0);
        return commits === 3 && body.series.some((bucket) => bucket.releases === 1) ? body : undefined;
      },
      { what: 'the batch to show in the activity endpoint' },
    );
    logger.info('batch visible', { ms: Math.round(performance.now() - posted) });
    assert.deepEqual(activity.series, [
      {
        start: '2026-10-05T00:00:00Z',
        commits: 2,
        pullRequestsOpened: 1,
        pullRequestsMerged: 0,
        issuesOpened: 1,
        issuesClosed: 0,
        releases: 0,
        stars: 1,
        forks: 1,
      },
      {
        start: '2026-10-12T00:00:00Z',
        commits: 1,
        pullRequestsOpened: 0,
        pullRequestsMerged: 1,
        issuesOpened: 0,
        issuesClosed: 1,
        releases: 1,
        stars: 0,
        forks: 0,
      },
    ]);
  });

  test('the engine computes the metrics of the repository it changed (metrics.compute follow-up)', async () => {
    const { rows } = await testDatabase.database.query<{ id: string }>(
      "SELECT id FROM repositories WHERE name = 'rockets'",
    );
    const facts = await testDatabase.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM commits WHERE repository_id = $1 AND NOT is_merge
         AND authored_at >= now() - interval '365 days' AND authored_at < now()`,
      [rows[0]!.id],
    );
    assert.ok(facts.rows[0]!.n > 0);
    // The snapshot catches up with every commit ingested (a computation per coalesced follow-up).
    await waitFor(
      async () => {
        const result = await testDatabase.database.query<{ commits: number | null }>(
          `SELECT (metrics -> 'commits_365d' ->> 'value')::float AS commits FROM metric_snapshots WHERE repository_id = $1`,
          [rows[0]!.id],
        );
        return result.rows[0]?.commits === facts.rows[0]!.n;
      },
      { what: 'the metrics snapshot to count every commit' },
    );
  });

  test('a batch its schema refuses is set aside as a rejected event and acknowledged, not dead-lettered', async () => {
    const poison = createEnvelope('ingest.events', {
      source: 'forge-x',
      events: [{ type: 'commit', action: 'exploded' }],
    });
    await brokers[0]!.publish('ingest.events', poison);
    const rejected = await waitFor(
      async () => {
        const { rows } = await testDatabase.database.query<{ reason: string }>(
          'SELECT reason FROM rejected_events WHERE message_id = $1',
          [poison.id],
        );
        return rows[0];
      },
      { what: 'the rejected event' },
    );
    assert.match(rejected.reason, /^its schema refuses it: \/events\/0\//);
    await waitFor(async () => (await queueDepth(brokers[0]!.names.queue('ingest.events'))) === 0);
    assert.equal(await queueDepth(brokers[0]!.names.deadQueue('ingest.events')), 0);
  });

  test('a poison message lands in metrics.compute.dead after the configured tries, with its error', async () => {
    const poison = createEnvelope('metrics.compute', { repositoryId: 'not a repository' });
    await brokers[0]!.publish('metrics.compute', poison);
    const deadQueue = brokers[0]!.names.deadQueue('metrics.compute');
    await waitFor(async () => (await queueDepth(deadQueue)) === 1, { what: 'the dead letter' });
    const [dead] = await drainQueue(deadQueue);
    assert.equal((dead!.json as { id: string }).id, poison.id);
    assert.equal(dead!.headers['x-attempts'], maxAttempts);
    assert.match(
      String(dead!.headers['x-error']),
      /SchemaViolationError: The metrics.compute payload has no repositoryId/,
    );
  });
});
