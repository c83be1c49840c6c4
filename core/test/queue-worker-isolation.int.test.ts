import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createEnvelope,
  createOutboxRelay,
  createQueueWorker,
  isDataError,
  type BrokerConnection,
  type MessageHandler,
  type QueueWorker,
} from '../src/index.js';
import {
  connectTestBroker,
  createTestDatabase,
  queueDepth,
  removeTestTopology,
  testLogger,
  testQueuePrefix,
  waitFor,
  type TestDatabase,
} from '../src/testing/index.js';

const retryDelaysMs = [100];

describe('queue worker: a message PostgreSQL refuses for its data (real RabbitMQ and PostgreSQL)', () => {
  const prefix = testQueuePrefix();
  const logger = testLogger();
  let testDatabase: TestDatabase;
  let broker: BrokerConnection;
  const workers: QueueWorker[] = [];

  before(async () => {
    testDatabase = await createTestDatabase();
    await testDatabase.database.query(
      'CREATE TABLE runs (message_id text NOT NULL, attempt integer NOT NULL, isolating boolean NOT NULL, n integer)',
    );
    broker = await connectTestBroker({ logger, prefix, retryDelaysMs, confirmTimeoutMs: 5_000 });
  });

  after(async () => {
    for (const worker of workers) await worker.stop();
    await broker.close();
    await removeTestTopology(prefix, retryDelaysMs);
    await testDatabase.drop();
  });

  async function startWorker(queue: string, handler: MessageHandler, isolatesDataErrors: boolean) {
    const relay = createOutboxRelay({ database: testDatabase.database, publisher: broker, logger });
    const worker = createQueueWorker({
      queue,
      handler,
      database: testDatabase.database,
      broker,
      relay,
      logger,
      prefetch: 2,
      maxAttempts: 2,
      retryDelaysMs,
      isolatesDataErrors,
    });
    await worker.start();
    workers.push(worker);
  }

  /** Writes the payload's number, which an int4 column cannot hold, unless isolating: then it is left out. */
  const handler: MessageHandler = async ({ envelope, transaction, isolating }) => {
    const { n } = envelope.payload as { n: number };
    await transaction.query('INSERT INTO runs VALUES ($1, $2, $3, $4)', [
      envelope.id,
      envelope.attempt,
      isolating ?? false,
      isolating ? null : n,
    ]);
  };

  const runs = async (id: string) =>
    (
      await testDatabase.database.query<{ attempt: number; isolating: boolean }>(
        'SELECT attempt, isolating FROM runs WHERE message_id = $1',
        [id],
      )
    ).rows;

  test('runs it again at once, isolating, and acknowledges it without a retry when its worker isolates data errors', async () => {
    await startWorker('ingest.events', handler, true);
    const message = createEnvelope('ingest.events', { n: 2_147_483_648 });
    await broker.publish('ingest.events', message);
    await waitFor(async () => (await runs(message.id)).length === 1, { what: 'the isolating run committed' });
    assert.deepEqual(await runs(message.id), [{ attempt: 1, isolating: true }]);
    await waitFor(async () => (await queueDepth(broker.names.queue('ingest.events'))) === 0, {
      what: 'the message acknowledged',
    });
    assert.equal(await queueDepth(broker.names.deadQueue('ingest.events')), 0);
  });

  test('retries it as any failure when its worker does not isolate data errors', async () => {
    await startWorker('crawl.repo', handler, false);
    const message = createEnvelope('crawl.repo', { n: 2_147_483_648 });
    await broker.publish('crawl.repo', message);
    await waitFor(async () => (await queueDepth(broker.names.deadQueue('crawl.repo'))) === 1, {
      what: 'the message dead-lettered after its two attempts',
    });
    assert.deepEqual(await runs(message.id), []);
  });

  test('tells data errors (classes 22, 23, 54) from the others', () => {
    for (const code of ['22003', '22008', '22P05', '23505', '23514', '54000'])
      assert.equal(isDataError({ code }), true, code);
    for (const code of ['40001', '40P01', '57P01', '08006', '42P01', 'ECONNRESET', undefined])
      assert.equal(isDataError({ code }), false, String(code));
    assert.equal(isDataError(new Error('no code')), false);
  });
});
