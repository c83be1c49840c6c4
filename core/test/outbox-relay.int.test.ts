import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrokerConnection } from '../src/index.js';
import { createEnvelope, createOutboxRelay, writeToOutbox } from '../src/index.js';
import {
  createTestDatabase,
  drainQueue,
  removeTestTopology,
  startTestBrokerProxy,
  testLogger,
  testQueuePrefix,
  waitFor,
  type TcpProxy,
  type TestDatabase,
  connectTestBroker,
  testAmqpUrlVia,
} from '../src/testing/index.js';

const retryDelaysMs = [1_000];

describe('outbox relay (real RabbitMQ and PostgreSQL)', () => {
  const prefix = testQueuePrefix();
  const logger = testLogger();
  let testDatabase: TestDatabase;
  let proxy: TcpProxy;
  let broker: BrokerConnection;

  before(async () => {
    testDatabase = await createTestDatabase();
    proxy = await startTestBrokerProxy();
    broker = await connectTestBroker({
      logger,
      url: testAmqpUrlVia(proxy.port),
      prefix,
      retryDelaysMs,
      confirmTimeoutMs: 1_000,
      maxReconnectDelayMs: 300,
    });
  });

  after(async () => {
    await broker.close();
    await proxy.close();
    await removeTestTopology(prefix, retryDelaysMs);
    await testDatabase.drop();
  });

  test('keeps committed follow-ups while the broker is away and publishes them once it is back', async () => {
    const relay = createOutboxRelay({
      database: testDatabase.database,
      publisher: broker,
      logger,
      pollIntervalMs: 100,
    });
    proxy.cut();
    await waitFor(() => !broker.isConnected(), { what: 'disconnect noticed' });
    const messages = [1, 2, 3].map((n) => ({
      routingKey: 'crawl.repo',
      envelope: createEnvelope('crawl.repo', { n }),
    }));
    await testDatabase.database.transaction((transaction) => writeToOutbox(transaction, messages));
    relay.start();
    await new Promise((resolve) => setTimeout(resolve, 400));
    const pending = await testDatabase.database.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
    assert.equal(pending.rows[0]!.n, 3, 'nothing is lost while the broker cannot confirm');

    proxy.restore();
    await waitFor(
      async () =>
        (await testDatabase.database.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]!
          .n === 0,
      { timeoutMs: 15_000, what: 'the outbox to empty' },
    );
    await relay.stop();
    const published = await drainQueue(broker.names.queue('crawl.repo'));
    assert.deepEqual(
      published.map((message) => message.messageId).sort(),
      messages.map((message) => message.envelope.id).sort(),
    );
  });

  test('a rolled-back transaction leaves nothing in the outbox', async () => {
    await assert.rejects(
      testDatabase.database.transaction(async (transaction) => {
        await writeToOutbox(transaction, [
          { routingKey: 'crawl.repo', envelope: createEnvelope('crawl.repo', {}) },
        ]);
        throw new Error('the handler failed after writing');
      }),
    );
    const pending = await testDatabase.database.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
    assert.equal(pending.rows[0]!.n, 0);
  });
});
