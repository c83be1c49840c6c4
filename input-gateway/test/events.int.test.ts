import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { BrokerConnection } from '@repopulse/core';
import {
  createCrawlTargetPolicy,
  createGenericEventBatchValidator,
  startHttpServer,
  type RunningServer,
} from '@repopulse/core';
import {
  drainQueue,
  queueDepth,
  removeTestTopology,
  startTestBrokerProxy,
  testLogger,
  testQueuePrefix,
  waitFor,
  type TcpProxy,
  connectTestBroker,
  testAmqpUrlVia,
  proxiedFetch,
  testForwardedIdentity,
} from '@repopulse/core/testing';
import { Registry } from 'prom-client';
import { createApp } from '../src/app.js';
import { createGithubWebhookValidators } from '../src/webhooks/index.js';

const retryDelaysMs = [1_000];

function commit(id = randomUUID()) {
  return {
    id,
    type: 'commit',
    action: 'pushed',
    repository: { host: 'github.com', owner: 'acme', name: 'widgets' },
    occurredAt: '2026-10-01T12:00:00Z',
    data: { sha: 'a'.repeat(40) },
  };
}

describe('POST /v1/events (real RabbitMQ)', () => {
  const prefix = testQueuePrefix();
  const logger = testLogger();
  let proxy: TcpProxy;
  let broker: BrokerConnection;
  let server: RunningServer;
  let base: string;

  before(async () => {
    proxy = await startTestBrokerProxy();
    broker = await connectTestBroker({
      logger,
      url: testAmqpUrlVia(proxy.port),
      prefix,
      retryDelaysMs,
      confirmTimeoutMs: 1_000,
      maxReconnectDelayMs: 500,
    });
    const app = createApp({
      publisher: broker,
      brokerCheck: () => broker.check(),
      validateBatch: createGenericEventBatchValidator(3),
      maxBodyBytes: 4_096,
      maxEvents: 3,
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
    });
    server = await startHttpServer(app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
  });

  after(async () => {
    await server.close();
    await broker.close();
    await proxy.close();
    await removeTestTopology(prefix, retryDelaysMs);
  });

  const post = (body: string, contentType = 'application/json', headers: Record<string, string> = {}) =>
    proxiedFetch(`${base}/v1/events`, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType, ...headers },
    });

  async function expectProblem(response: Response, status: number) {
    assert.equal(response.status, status);
    assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const problem = (await response.json()) as Record<string, unknown>;
    assert.equal(problem.status, status);
    assert.equal(typeof problem.title, 'string');
    assert.match(String(problem.type), /^urn:repopulse:problem:/);
    return problem;
  }

  test('accepts a valid batch with 202 and its id, after the broker has the message in its envelope', async () => {
    const response = await post(
      JSON.stringify({ source: 'forge-x', events: [commit(), commit()] }),
      'application/json',
      {
        'x-request-id': 'req-42',
      },
    );
    assert.equal(response.status, 202);
    const body = (await response.json()) as { id: string; status: string; events: number };
    assert.equal(body.status, 'accepted');
    assert.equal(body.events, 2);
    const [message] = await drainQueue(broker.names.queue('ingest.events'));
    const envelope = message!.json as Record<string, unknown>;
    assert.equal(message!.messageId, body.id);
    assert.equal(envelope.id, body.id);
    assert.equal(envelope.type, 'ingest.events');
    assert.equal(envelope.attempt, 1);
    assert.equal(envelope.correlationId, 'req-42');
    assert.equal((envelope.payload as { events: unknown[] }).events.length, 2);
  });

  test('refuses malformed JSON (400), a wrong media type (415), a body too large (413) — publishing nothing', async () => {
    await expectProblem(await post('{"source": "x", "events": ['), 400);
    await expectProblem(await post(JSON.stringify({ source: 'x', events: [commit()] }), 'text/plain'), 415);
    await expectProblem(
      await post(JSON.stringify({ source: 'x', events: [commit()], pad: 'x'.repeat(5_000) })),
      413,
    );
    assert.equal(await queueDepth(broker.names.queue('ingest.events')), 0);
  });

  test('refuses a schema violation with 422 listing every failing path', async () => {
    const bad = { ...commit(), action: 'opened', data: { sha: 'nope', extra: 1 } };
    const problem = await expectProblem(
      await post(JSON.stringify({ source: 'x', events: [commit(), bad] })),
      422,
    );
    const paths = (problem.errors as Array<{ path: string }>).map((error) => error.path);
    assert.ok(paths.includes('/events/1/action'), paths.join());
    assert.ok(paths.includes('/events/1/data/sha'), paths.join());
    assert.ok(paths.includes('/events/1/data/extra'), paths.join());
    const tooMany = await post(
      JSON.stringify({ source: 'x', events: [commit(), commit(), commit(), commit()] }),
    );
    await expectProblem(tooMany, 422);
    assert.equal(await queueDepth(broker.names.queue('ingest.events')), 0);
  });

  test('answers 503 with Retry-After when the broker does not confirm in time, and 202 once it does again', async () => {
    const batch = () => JSON.stringify({ source: 'x', events: [commit()] });
    proxy.stall();
    try {
      const refused = await post(batch());
      await expectProblem(refused, 503);
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
      assert.ok(broker.isConnected(), 'the connection stayed up: only the confirm was missing');
    } finally {
      proxy.flow();
    }
    const accepted = await post(batch());
    assert.equal(accepted.status, 202);
    await drainQueue(broker.names.queue('ingest.events'));
  });

  test('answers 503 with Retry-After when the broker refuses (nacks) the message', async () => {
    // A full queue that rejects new messages, bound beside the real one: RabbitMQ nacks every publish it
    // would route there, as it does for a queue over its length limit.
    const channel = await broker.openChannel();
    const full = `${prefix}.test-full`;
    await channel.assertQueue(full, {
      durable: false,
      arguments: { 'x-max-length': 0, 'x-overflow': 'reject-publish' },
    });
    await channel.bindQueue(full, broker.names.exchange, 'ingest.events');
    try {
      const refused = await post(JSON.stringify({ source: 'x', events: [commit()] }));
      await expectProblem(refused, 503);
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
    } finally {
      await channel.deleteQueue(full);
      await channel.close();
    }
    const accepted = await post(JSON.stringify({ source: 'x', events: [commit()] }));
    assert.equal(accepted.status, 202);
    const { id } = (await accepted.json()) as { id: string };
    const messages = await drainQueue(broker.names.queue('ingest.events'));
    // The refused batch may have reached the real queue (RabbitMQ nacks when any queue refuses); what
    // was promised with 202 is there.
    assert.ok(messages.some((message) => message.messageId === id));
  });

  test('refuses with 422 naming the path each value the schema let through before but PostgreSQL cannot store', async () => {
    const star = (change: (event: Record<string, unknown>) => void) => {
      const event: Record<string, unknown> = {
        id: randomUUID(),
        type: 'star',
        action: 'created',
        repository: { host: 'github.com', owner: 'acme', name: 'widgets' },
        occurredAt: '2026-10-01T12:00:00Z',
        actor: { login: 'ada' },
        data: {},
      };
      change(event);
      return event;
    };
    const commitWith = (data: Record<string, unknown>) => ({
      ...commit(),
      data: { sha: 'b'.repeat(40), ...data },
    });
    const issueTitled = (title: string) => ({
      ...star(() => {}),
      type: 'issue',
      action: 'opened',
      actor: undefined,
      data: { number: 1, title },
    });
    const cases: Array<[unknown, string]> = [
      [commitWith({ additions: 2_147_483_648 }), '/events/1/data/additions'],
      [star((event) => (event.occurredAt = '0000-01-01T00:00:00Z')), '/events/1/occurredAt'],
      [star((event) => (event.occurredAt = '9999-12-31T23:59:59-23:59')), '/events/1/occurredAt'],
      [commitWith({ message: 'fix\u0000' }), '/events/1/data/message'],
      [issueTitled('a\u0000title'), '/events/1/data/title'],
      [star((event) => (event.id = 'event\u0000id')), '/events/1/id'],
    ];
    for (const [bad, path] of cases) {
      const response = await post(JSON.stringify({ source: 'x', events: [commit(), bad] }));
      const problem = await expectProblem(response, 422);
      const paths = (problem.errors as Array<{ path: string }>).map((error) => error.path);
      assert.deepEqual(paths, [path], JSON.stringify(bad));
    }
    assert.equal(await queueDepth(broker.names.queue('ingest.events')), 0);
  });

  test('answers 503 with Retry-After while the broker is cut off, and recovers by itself', async () => {
    proxy.cut();
    await waitFor(() => !broker.isConnected(), { what: 'disconnect noticed' });
    const refused = await post(JSON.stringify({ source: 'x', events: [commit()] }));
    await expectProblem(refused, 503);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    const notReady = await fetch(`${base}/ready`);
    assert.equal(notReady.status, 503);

    proxy.restore();
    const accepted = await waitFor(
      async () => {
        const response = await post(JSON.stringify({ source: 'x', events: [commit()] }));
        return response.status === 202 ? response : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, what: 'the gateway to accept again' },
    );
    const { id } = (await accepted.json()) as { id: string };
    const messages = await drainQueue(broker.names.queue('ingest.events'));
    assert.deepEqual(
      messages.map((message) => message.messageId),
      [id],
      'only the accepted batch reached the broker',
    );
  });
});
