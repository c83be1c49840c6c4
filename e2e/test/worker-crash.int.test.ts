import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { BrokerConnection } from '@repopulse/core';
import { createEnvelope, type GenericEvent } from '@repopulse/core';
import {
  createTestDatabase,
  queueDepth,
  removeTestTopology,
  testLogger,
  testQueuePrefix,
  waitFor,
  type TestDatabase,
  connectTestBroker,
} from '@repopulse/core/testing';
import { startModuleProcess, type ModuleProcess } from './engine-process.js';

const batches = 240;
const eventsPerBatch = 25;
const retryDelaysMs = [200];

function commitBatch(batch: number) {
  const events: GenericEvent[] = [];
  for (let index = 0; index < eventsPerBatch; index++) {
    const day = String(1 + ((batch + index) % 28)).padStart(2, '0');
    events.push({
      id: `b${batch}-e${index}`,
      type: 'commit',
      action: 'pushed',
      repository: { host: 'github.com', owner: 'acme', name: `repo-${batch % 7}` },
      occurredAt: `2026-02-${day}T12:00:00Z`,
      data: {
        sha: randomUUID().replaceAll('-', '').padEnd(40, '0'),
        author: { email: `dev${index}@example.org` },
      },
    });
  }
  return { source: 'crash-test', events };
}

describe('a worker killed mid-batch (real engine processes, RabbitMQ and PostgreSQL)', () => {
  const prefix = testQueuePrefix();
  const logger = testLogger();
  let testDatabase: TestDatabase;
  let broker: BrokerConnection;
  const engines: ModuleProcess[] = [];
  const engineEnv = () => ({
    DATABASE_URL: testDatabase.url,
    QUEUE_PREFIX: prefix,
    QUEUE_PREFETCH: '8',
    QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
  });

  before(async () => {
    testDatabase = await createTestDatabase();
    broker = await connectTestBroker({ logger, prefix, retryDelaysMs, confirmTimeoutMs: 5_000 });
  });

  after(async () => {
    for (const engine of engines) engine.child.kill('SIGKILL');
    await broker.close();
    await removeTestTopology(prefix, retryDelaysMs);
    await testDatabase.drop();
  });

  const processedMessages = async () =>
    (
      await testDatabase.database.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM processed_messages WHERE consumer = 'ingest.events'",
      )
    ).rows[0]!.n;

  test('loses nothing and duplicates nothing: every event is a fact exactly once', async () => {
    for (let batch = 0; batch < batches; batch++) {
      await broker.publish('ingest.events', createEnvelope('ingest.events', commitBatch(batch)));
    }
    const first = startModuleProcess('integration-engine', engineEnv());
    engines.push(first);
    await waitFor(async () => (await processedMessages()) >= 30, {
      timeoutMs: 60_000,
      what: 'the first engine to be busy',
    });
    first.child.kill('SIGKILL');
    assert.equal(await first.exited, 'SIGKILL');
    const atKill = await processedMessages();
    assert.ok(atKill < batches, `the engine was killed mid-way (${atKill} of ${batches} batches done)`);

    const second = startModuleProcess('integration-engine', engineEnv());
    engines.push(second);
    await waitFor(async () => (await processedMessages()) === batches, {
      timeoutMs: 120_000,
      intervalMs: 200,
      what: 'every batch processed',
    });
    await waitFor(async () => (await queueDepth(broker.names.queue('ingest.events'))) === 0, {
      what: 'the queue to drain',
    });

    const totals = await testDatabase.database.query<{ commits: number; rollup: number; owner: number }>(
      `SELECT (SELECT count(*)::int FROM commits) AS commits,
              (SELECT sum(commits)::int FROM activity_daily) AS rollup,
              (SELECT sum(commits)::int FROM owner_activity) AS owner`,
    );
    assert.deepEqual(totals.rows[0], {
      commits: batches * eventsPerBatch,
      rollup: batches * eventsPerBatch,
      owner: batches * eventsPerBatch,
    });
    assert.equal(await queueDepth(broker.names.deadQueue('ingest.events')), 0);

    // A graceful stop: SIGTERM lets in-flight work finish and exits 0.
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0, second.output());
  });
});
