import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  createCrawlTargetPolicy,
  createGenericEventBatchValidator,
  startHttpServer,
  type BrokerConnection,
  type RunningServer,
} from '@repopulse/core';
import {
  connectTestBroker,
  createTestDatabase,
  proxiedFetch,
  queueDepth,
  removeTestTopology,
  testForwardedIdentity,
  testLogger,
  testQueuePrefix,
  waitFor,
  type TestDatabase,
} from '@repopulse/core/testing';
import { Registry } from 'prom-client';
import { createApp as createInputGateway } from '../../input-gateway/src/app.js';
import {
  createGithubWebhookValidators,
  processedWebhookEvents,
  webhookBounds,
} from '../../input-gateway/src/webhooks/index.js';
import { deliver, githubExamples } from '../../input-gateway/test/webhook-deliveries.js';
import { createEngine, type Engine } from '../../integration-engine/src/engine.js';

/** Runs per property: few in CI, more with PROPERTY_RUNS (e.g. 500) when looking for trouble. */
const numRuns = Number(process.env.PROPERTY_RUNS ?? 25);
const retryDelaysMs = [60_000];
const webhookSecret = 'agreement-test-secret';

/**
 * Values at the edges of what a schema may accept and of what PostgreSQL can store, valid and not, for any
 * field: integers around int4 and 2^53, times around the window and PostgreSQL's offsets, text with NUL,
 * unpaired surrogates, pairs, long text, and values of the wrong type.
 */
const edgeValue = fc.constantFrom<unknown>(
  0,
  -1,
  1.5,
  2_147_483_647,
  2_147_483_648,
  -2_147_483_649,
  9_007_199_254_740_991,
  9_007_199_254_740_992,
  1e21,
  '',
  'x',
  'fix\u0000',
  '\ud800',
  'ok \udfff',
  'ship it 🚀',
  'a'.repeat(256),
  'b'.repeat(3_000),
  'acme/widgets',
  'no/t/a/name',
  'Hello-World',
  '0'.repeat(40),
  '1970-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59-23:59',
  '2026-01-01T00:00:00+15:59',
  '2026-01-01T00:00:00+16:00',
  '2016-12-31T23:59:60Z',
  '2026-01-01T23:59:59.9999999Z',
  '2026-01-01T00:00:00+05',
  new Date(Date.now() + 20 * 3_600_000).toISOString(),
  new Date(Date.now() + 30 * 3_600_000).toISOString(),
  0,
  1_700_000_000,
  253_402_300_800,
  null,
  true,
  {},
  [],
);

/** A generic event's fields, most of them valid, some at an edge. */
function sometimes<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: edgeValue });
}
const validTime = fc.integer({ min: 0, max: Date.now() }).map((ms) => new Date(ms).toISOString());
const genericEvent = fc
  .record({
    kind: fc.constantFrom('star', 'commit', 'issue', 'pull_request', 'release', 'fork'),
    id: sometimes(fc.uuid()),
    occurredAt: sometimes(validTime),
    login: sometimes(fc.constantFrom('ada', 'bob', 'dependabot[bot]')),
    number: sometimes(fc.integer({ min: 1, max: 100 })),
    count: sometimes(fc.nat({ max: 1_000 })),
    words: sometimes(fc.string({ maxLength: 20 })),
    time: sometimes(validTime),
    owner: sometimes(fc.constantFrom('acme', 'gizmo')),
  })
  .map(({ kind, id, occurredAt, login, number, count, words, time, owner }) => {
    const base = { id, occurredAt, repository: { host: 'github.com', owner, name: 'widgets' } };
    switch (kind) {
      case 'star':
        return { ...base, type: kind, action: 'created', actor: { login }, data: {} };
      case 'commit':
        return {
          ...base,
          type: kind,
          action: 'pushed',
          actor: { login },
          data: {
            sha: randomUUID().replaceAll('-', '').padEnd(40, '0'),
            message: words,
            authoredAt: time,
            author: { name: words, login },
            additions: count,
            deletions: count,
          },
        };
      case 'issue':
      case 'pull_request':
        return {
          ...base,
          type: kind,
          action: 'opened',
          actor: { login },
          data: { number, title: words, createdAt: time },
        };
      case 'release':
        return {
          ...base,
          type: kind,
          action: 'published',
          data: { tag: words, name: words, publishedAt: time },
        };
      default:
        return { ...base, type: kind, action: 'created', data: { fork: { owner: login, name: 'widgets' } } };
    }
  });

/** The paths the engine reads from a delivery of `event` (`commits[]` as its first item), and a few more. */
function enginePaths(event: string): string[] {
  const read = [
    ...Object.keys(webhookBounds[event as keyof typeof webhookBounds]),
    ...Object.keys(processedWebhookEvents[event as keyof typeof processedWebhookEvents]),
    'action',
    'ref',
    'repository.default_branch',
    'repository.description',
    'repository.topics',
    'repository.license.spdx_id',
    'pull_request.title',
    'pull_request.user.login',
    'pull_request.merged_by.login',
    'issue.title',
    'issue.pull_request',
    'commits[].message',
    'commits[].author.name',
    'release.name',
    'release.draft',
    'review.state',
    'review.user.login',
    'comment.user.login',
    'sender.type',
  ];
  return [...new Set(read.map((path) => path.replaceAll('[]', '.0')))];
}

/** Every path in a body, to depth 4. */
function pathsOf(value: unknown, prefix = '', depth = 0): string[] {
  if (typeof value !== 'object' || value === null || depth >= 4) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const here = prefix ? `${prefix}.${key}` : key;
    return [here, ...pathsOf(child, here, depth + 1)];
  });
}

/** The body with `value` at the dotted path, objects made on the way where there were none. */
function withValueAt(body: Record<string, unknown>, dotted: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = dotted.split('.');
  let node = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = /^\d+$/.test(key) ? [] : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
  return copy;
}

const examples = githubExamples(Object.keys(processedWebhookEvents));
const mutatedDelivery = fc
  .record({
    example: fc.constantFrom(...examples),
    mutations: fc.array(fc.record({ engineRead: fc.boolean(), pick: fc.nat(), value: edgeValue }), {
      minLength: 1,
      maxLength: 3,
    }),
  })
  .map(({ example, mutations }) => {
    let body = example.payload;
    for (const { engineRead, pick, value } of mutations) {
      const candidates = engineRead ? enginePaths(example.event) : pathsOf(body);
      body = withValueAt(body, candidates[pick % candidates.length]!, value);
    }
    return { event: example.event, label: example.label, body };
  });

describe('property: whatever the input gateway accepts, the engine stores (real gateway, RabbitMQ, engine, PostgreSQL)', () => {
  const prefix = testQueuePrefix();
  const logger = testLogger();
  let testDatabase: TestDatabase;
  const brokers: BrokerConnection[] = [];
  let engine: Engine;
  let gateway: RunningServer;
  let base: string;
  const accepted = { events: 0, webhooks: 0 };

  before(async () => {
    testDatabase = await createTestDatabase();
    const connect = async () => {
      const broker = await connectTestBroker({ logger, prefix, retryDelaysMs });
      brokers.push(broker);
      return broker;
    };
    const gatewayBroker = await connect();
    gateway = await startHttpServer(
      createInputGateway({
        publisher: gatewayBroker,
        brokerCheck: () => gatewayBroker.check(),
        validateBatch: createGenericEventBatchValidator(1_000),
        maxBodyBytes: 1024 * 1024,
        maxEvents: 1_000,
        webhookValidators: createGithubWebhookValidators(),
        webhookSecrets: {
          candidatesFor: async () => ({
            candidates: [{ scope: 'fallback', secret: webhookSecret }],
            complete: true,
          }),
        },
        webhookMaxBodyBytes: 25 * 1024 * 1024,
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
    base = `http://127.0.0.1:${gateway.port}`;
    engine = createEngine({
      database: testDatabase.database,
      broker: await connect(),
      logger,
      registry: new Registry(),
      prefetch: 4,
      maxAttempts: 3,
      retryDelaysMs,
      github: { apiUrl: 'http://127.0.0.1:9', tokens: [] },
      gitCacheDir: path.join(os.tmpdir(), 'repopulse-e2e-unused-git-cache'),
      gitTargets: { allowLocal: false },
      metricsComputeDelayMs: 3_600_000,
    });
    await engine.start();
  });

  after(async () => {
    await gateway.close();
    await engine.stop();
    for (const broker of brokers) await broker.close();
    await removeTestTopology(prefix, retryDelaysMs);
    await testDatabase.drop();
  });

  /** Waits for the engine to commit the message, then says what it rejected of it. */
  async function rejectedOf(queue: string, messageId: string): Promise<string[]> {
    await waitFor(
      async () =>
        (
          await testDatabase.database.query(
            'SELECT 1 FROM processed_messages WHERE consumer = $1 AND message_id = $2',
            [queue, messageId],
          )
        ).rowCount === 1,
      { what: `${queue} message ${messageId} committed` },
    );
    const { rows } = await testDatabase.database.query<{ reason: string }>(
      'SELECT reason FROM rejected_events WHERE message_id = $1',
      [messageId],
    );
    return rows.map((row) => row.reason);
  }

  test('every generic batch the gateway answers 202 is stored by the engine without a rejected event', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(genericEvent, { minLength: 1, maxLength: 5 }), async (events) => {
        const response = await proxiedFetch(`${base}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ source: 'agreement', events }),
        });
        const answer = (await response.json()) as { id?: string };
        if (response.status === 422) return;
        assert.equal(response.status, 202, JSON.stringify(answer));
        accepted.events++;
        assert.deepEqual(await rejectedOf('ingest.events', answer.id!), []);
      }),
      { numRuns: numRuns * 4 },
    );
    assert.ok(accepted.events > 0, 'some batches were accepted');
  });

  test('every GitHub delivery the gateway answers 202 is stored by the engine without a rejected event', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedDelivery, async ({ event, label, body }) => {
        const deliveryId = randomUUID();
        const response = await deliver(base, {
          event,
          body: JSON.stringify(body),
          deliveryId,
          secret: webhookSecret,
        });
        const answer = (await response.json()) as { status?: string };
        if (response.status === 422) return;
        assert.equal(response.status, 202, `${label}: ${JSON.stringify(answer)}`);
        accepted.webhooks++;
        assert.deepEqual(await rejectedOf('ingest.github-webhook', deliveryId), [], label);
      }),
      { numRuns: numRuns * 4 },
    );
    assert.ok(accepted.webhooks > 0, 'some deliveries were accepted');
  });

  test('nothing was retried or dead-lettered', async () => {
    for (const queue of ['ingest.events', 'ingest.github-webhook']) {
      assert.equal(await queueDepth(brokers[0]!.names.retryQueue(queue, retryDelaysMs[0]!)), 0, queue);
      assert.equal(await queueDepth(brokers[0]!.names.deadQueue(queue)), 0, queue);
    }
  });
});
