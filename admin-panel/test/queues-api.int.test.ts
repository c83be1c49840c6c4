import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createEnvelope, workQueues } from '@repopulse/core';
import { waitFor } from '@repopulse/core/testing';
import { assertAdminsOnly, startAdminApi, type AdminApi } from './admin-api-harness.js';

interface QueueAnswer {
  name: string;
  depth: number;
  consumers: number;
  publishRate: number | null;
  deliverRate: number | null;
  ackRate: number | null;
  deadDepth: number;
  deadLetters: number;
}

describe('admin API: queues (real RabbitMQ, management API and AMQP)', () => {
  let api: AdminApi;
  let withoutManagement: AdminApi;

  before(async () => {
    api = await startAdminApi();
    // Port 1 answers nobody: the management API is "down", so the stats come from AMQP.
    withoutManagement = await startAdminApi({ managementUrl: 'http://guest:guest@127.0.0.1:1' });
    for (const target of [api, withoutManagement]) {
      for (let index = 0; index < 3; index++) {
        await target.broker.publish('crawl.repo', createEnvelope('crawl.repo', { index }));
      }
      await target.broker.publish('metrics.compute', createEnvelope('metrics.compute', {}), {
        exchange: 'dead',
      });
      await target.broker.consume('ingest.events', 1, async () => undefined);
      await target.database.query(
        `INSERT INTO dead_letters (queue, message_id, type, raw_body, failed_at) VALUES ('crawl.org', 'm1', 'x', 'x', now())`,
      );
    }
  });

  after(async () => {
    await api.close();
    await withoutManagement.close();
  });

  const byName = (queues: QueueAnswer[]) => Object.fromEntries(queues.map((queue) => [queue.name, queue]));

  test("shows each work queue's depth, consumers and rates from the management API", async () => {
    const answer = await waitFor(
      async () => {
        const candidate = await api.call('GET', '/api/queues');
        const queues = byName(candidate.json.queues);
        const settled =
          candidate.json.statsFrom === 'management' &&
          queues['crawl.repo']?.depth === 3 &&
          queues['ingest.events']?.consumers === 1 &&
          queues['metrics.compute']?.deadDepth === 1;
        return settled && candidate;
      },
      { what: 'management statistics to catch up', timeoutMs: 30_000, intervalMs: 500 },
    );
    assert.equal(answer.status, 200);
    assert.deepEqual(
      answer.json.queues.map((queue: QueueAnswer) => queue.name),
      [...workQueues],
    );
    for (const queue of answer.json.queues as QueueAnswer[]) {
      for (const rate of [queue.publishRate, queue.deliverRate, queue.ackRate]) {
        assert.equal(typeof rate, 'number', queue.name);
        assert.ok(rate! >= 0);
      }
    }
    const queues = byName(answer.json.queues);
    assert.equal(queues['crawl.org']!.deadLetters, 1, 'archived dead letters are counted');
    assert.equal(queues['crawl.repo']!.deadLetters, 0);
  });

  test('falls back to AMQP for depth and consumers when the management API does not answer', async () => {
    const answer = await withoutManagement.call('GET', '/api/queues');
    assert.equal(answer.status, 200);
    assert.equal(answer.json.statsFrom, 'amqp');
    const queues = byName(answer.json.queues);
    assert.deepEqual(queues['crawl.repo'], {
      name: 'crawl.repo',
      depth: 3,
      consumers: 0,
      publishRate: null,
      deliverRate: null,
      ackRate: null,
      deadDepth: 0,
      deadLetters: 0,
    });
    assert.equal(queues['ingest.events']!.consumers, 1);
    assert.equal(queues['metrics.compute']!.deadDepth, 1);
    assert.equal(queues['crawl.org']!.deadLetters, 1);
  });

  test('is closed to callers who are not admins', async () => {
    await assertAdminsOnly(api, 'GET', '/api/queues');
  });
});
