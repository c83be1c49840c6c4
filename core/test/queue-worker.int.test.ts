import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrokerConnection } from '../src/index.js';
import {
  createEnvelope,
  createOutboxRelay,
  createQueueWorker,
  DeferMessage,
  deferralTier,
  type MessageHandler,
  type QueueWorker,
  writeToOutbox,
} from '../src/index.js';
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
} from '../src/testing/index.js';

const retryDelaysMs = [100, 200];
const maxAttempts = 3;

describe('queue worker (real RabbitMQ and PostgreSQL)', () => {
  const prefix = testQueuePrefix();
  const logger = testLogger();
  let testDatabase: TestDatabase;
  let broker: BrokerConnection;
  const workers: QueueWorker[] = [];
  const relay = () =>
    createOutboxRelay({ database: testDatabase.database, publisher: broker, logger, pollIntervalMs: 100 });

  before(async () => {
    testDatabase = await createTestDatabase();
    await testDatabase.database.query(
      'CREATE TABLE seen (message_id text PRIMARY KEY, attempt integer NOT NULL)',
    );
    broker = await connectTestBroker({ logger, prefix, retryDelaysMs, confirmTimeoutMs: 5_000 });
  });

  after(async () => {
    for (const worker of workers) await worker.stop();
    await broker.close();
    await removeTestTopology(prefix, retryDelaysMs);
    await testDatabase.drop();
  });

  async function startWorker(queue: string, handler: MessageHandler) {
    const outboxRelay = relay();
    outboxRelay.start();
    const worker = createQueueWorker({
      queue,
      handler,
      database: testDatabase.database,
      broker,
      relay: outboxRelay,
      logger,
      prefetch: 4,
      maxAttempts,
      retryDelaysMs,
    });
    await worker.start();
    workers.push({ start: worker.start, stop: async () => (await worker.stop(), await outboxRelay.stop()) });
  }

  test('commits the facts, then publishes the follow-ups from the outbox with the chain ids', async () => {
    await startWorker('crawl.org', async ({ envelope, transaction }) => {
      await transaction.query('INSERT INTO seen VALUES ($1, $2)', [envelope.id, envelope.attempt]);
      return [
        { type: 'crawl.repo', payload: { name: 'a' } },
        { type: 'crawl.repo', payload: { name: 'b' } },
      ];
    });
    const message = createEnvelope('crawl.org', { org: 'acme' }, { correlationId: 'request-1' });
    await broker.publish('crawl.org', message);
    await waitFor(async () => (await queueDepth(broker.names.queue('crawl.repo'))) === 2, {
      what: 'two follow-ups',
    });
    const followUps = await drainQueue(broker.names.queue('crawl.repo'));
    const envelopes = followUps.map(
      (followUp) =>
        followUp.json as { correlationId: string; causationId: string; payload: unknown; id: string },
    );
    assert.deepEqual(
      envelopes
        .map((envelope) => envelope.payload)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      [{ name: 'a' }, { name: 'b' }],
    );
    for (const envelope of envelopes) {
      assert.equal(envelope.correlationId, 'request-1');
      assert.equal(envelope.causationId, message.id);
    }
    assert.deepEqual(
      followUps.map((followUp) => followUp.messageId).sort(),
      envelopes.map((envelope) => envelope.id).sort(),
    );
    const outbox = await testDatabase.database.query('SELECT count(*)::int AS n FROM outbox');
    assert.equal(outbox.rows[0]?.n, 0, 'the relay deletes what it published');
  });

  test('a redelivered message (same id) changes nothing the second time', async () => {
    const before = await testDatabase.database.query<{ n: number }>('SELECT count(*)::int AS n FROM seen');
    const message = createEnvelope('crawl.org', { org: 'again' });
    await broker.publish('crawl.org', message);
    await broker.publish('crawl.org', message);
    await waitFor(async () => (await queueDepth(broker.names.queue('crawl.org'))) === 0, {
      what: 'queue drained',
    });
    await waitFor(async () => {
      const rows = await testDatabase.database.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM processed_messages WHERE consumer = 'crawl.org' AND message_id = $1",
        [message.id],
      );
      return rows.rows[0]?.n === 1;
    });
    const afterRows = await testDatabase.database.query<{ n: number }>('SELECT count(*)::int AS n FROM seen');
    assert.equal(afterRows.rows[0]!.n - before.rows[0]!.n, 1);
    await waitFor(async () => (await queueDepth(broker.names.queue('crawl.repo'))) === 2, {
      what: 'follow-ups of the first copy only',
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await queueDepth(broker.names.queue('crawl.repo')), 2);
    await drainQueue(broker.names.queue('crawl.repo'));
  });

  test('a failing message is retried after a delay and succeeds, its effects written once', async () => {
    const failuresLeft = new Map<string, number>();
    await startWorker('metrics.compute', async ({ envelope, transaction }) => {
      const left = failuresLeft.get(envelope.id) ?? 1;
      failuresLeft.set(envelope.id, left - 1);
      if (left > 0) throw new Error('temporary upstream hiccup');
      await transaction.query('INSERT INTO seen VALUES ($1, $2)', [envelope.id, envelope.attempt]);
    });
    const message = createEnvelope('metrics.compute', { repositoryId: 1 });
    await broker.publish('metrics.compute', message);
    const row = await waitFor(async () => {
      const result = await testDatabase.database.query<{ attempt: number }>(
        'SELECT attempt FROM seen WHERE message_id = $1',
        [message.id],
      );
      return result.rows[0];
    });
    assert.equal(row.attempt, 2, 'succeeded on the second attempt');
    assert.equal(await queueDepth(broker.names.deadQueue('metrics.compute')), 0);
  });

  test('a deferred message comes back after the delay without spending attempts, however often it is deferred', async () => {
    const deferrals = new Map<string, number>();
    const deferredAt: number[] = [];
    await startWorker('ingest.github-webhook', async ({ envelope, transaction }) => {
      const payload = envelope.payload as { deferTimes?: number };
      const done = deferrals.get(envelope.id) ?? 0;
      if (done < (payload.deferTimes ?? 0)) {
        deferrals.set(envelope.id, done + 1);
        deferredAt.push(Date.now());
        await transaction.query('INSERT INTO seen VALUES ($1, $2)', [`${envelope.id}-rolled-back`, 0]);
        throw new DeferMessage(150, 'quota spent until reset');
      }
      await transaction.query('INSERT INTO seen VALUES ($1, $2)', [envelope.id, envelope.attempt]);
    });
    // Five deferrals, more than maxAttempts: none counts as a failure.
    const message = createEnvelope('ingest.github-webhook', { deferTimes: maxAttempts + 2 });
    const started = Date.now();
    await broker.publish('ingest.github-webhook', message);
    const row = await waitFor(async () => {
      const result = await testDatabase.database.query<{ attempt: number }>(
        'SELECT attempt FROM seen WHERE message_id = $1',
        [message.id],
      );
      return result.rows[0];
    });
    assert.equal(row.attempt, 1, 'deferrals spend no attempt');
    assert.equal(deferrals.get(message.id), maxAttempts + 2);
    // Each deferral waited in the 100 ms tier (the longest not above 150 ms), never spinning.
    assert.ok(Date.now() - started >= (maxAttempts + 2) * 100, 'waited in the retry tier each time');
    const rolledBack = await testDatabase.database.query(
      "SELECT 1 FROM seen WHERE message_id LIKE '%-rolled-back'",
    );
    assert.equal(rolledBack.rowCount, 0, 'a deferred attempt commits nothing');
    assert.equal(await queueDepth(broker.names.deadQueue('ingest.github-webhook')), 0);
  });

  test('deferralTier picks the longest tier not above the wanted delay', () => {
    assert.equal(deferralTier([1_000, 10_000, 60_000, 300_000], 45_000), 10_000);
    assert.equal(deferralTier([1_000, 10_000, 60_000, 300_000], 3_600_000), 300_000);
    assert.equal(deferralTier([1_000, 10_000], 10), 1_000);
  });

  test('a poison message lands in <queue>.dead after the last attempt, with its error', async () => {
    let calls = 0;
    await startWorker('ingest.events', async () => {
      calls++;
      throw new TypeError('cannot read the batch');
    });
    const message = createEnvelope('ingest.events', { broken: true });
    await broker.publish('ingest.events', message);
    await waitFor(async () => (await queueDepth(broker.names.deadQueue('ingest.events'))) === 1, {
      what: 'dead letter',
    });
    const [dead] = await drainQueue(broker.names.deadQueue('ingest.events'));
    assert.equal(calls, maxAttempts);
    assert.equal((dead!.json as { id: string }).id, message.id);
    assert.equal(dead!.headers['x-attempts'], maxAttempts);
    assert.match(String(dead!.headers['x-error']), /TypeError: cannot read the batch/);
    const committed = await testDatabase.database.query(
      "SELECT 1 FROM processed_messages WHERE consumer = 'ingest.events'",
    );
    assert.equal(committed.rowCount, 0, 'a failed attempt commits nothing');
  });

  test('a body that is not an envelope goes to the dead-letter queue at once', async () => {
    const channel = await broker.openChannel();
    channel.publish(broker.names.exchange, 'ingest.events', Buffer.from('not json at all'), {
      persistent: true,
    });
    await channel.close();
    await waitFor(async () => (await queueDepth(broker.names.deadQueue('ingest.events'))) === 1, {
      what: 'dead letter',
    });
    const [dead] = await drainQueue(broker.names.deadQueue('ingest.events'));
    assert.equal(dead!.content.toString(), 'not json at all');
    assert.match(String(dead!.headers['x-error']), /not JSON/);
  });

  test('a message with no matching queue is kept by the alternate exchange', async () => {
    await broker.publish('no.such.route', createEnvelope('no.such.route', {}));
    await waitFor(async () => (await queueDepth(broker.names.unroutableQueue)) === 1, {
      what: 'unroutable kept',
    });
  });

  test('pending follow-ups with the same coalescing key are published once', async () => {
    await startWorker('crawl.repo', async () => [
      { type: 'metrics.compute', payload: { repositoryId: 7 }, coalesceKey: 'metrics:7' },
      { type: 'metrics.compute', payload: { repositoryId: 7 }, coalesceKey: 'metrics:7' },
      { type: 'metrics.compute', payload: { repositoryId: 8 }, coalesceKey: 'metrics:8' },
    ]);
    // metrics.compute has a consumer from an earlier test; count what it commits instead.
    const before = await testDatabase.database.query<{ n: number }>('SELECT count(*)::int AS n FROM seen');
    await broker.publish('crawl.repo', createEnvelope('crawl.repo', {}));
    await waitFor(async () => {
      const result = await testDatabase.database.query<{ n: number }>('SELECT count(*)::int AS n FROM seen');
      return result.rows[0]!.n - before.rows[0]!.n === 2;
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const afterRows = await testDatabase.database.query<{ n: number }>('SELECT count(*)::int AS n FROM seen');
    assert.equal(afterRows.rows[0]!.n - before.rows[0]!.n, 2);
  });
  test('a delayed outbox message waits its delay, and those of its key written meanwhile fold into it', async () => {
    // A routing key no queue is bound to: what the relays publish lands in the unroutable queue, counted there.
    const unroutable = () => queueDepth(broker.names.unroutableQueue);
    const before = await unroutable();
    const writtenAt = Date.now();
    for (let index = 0; index < 3; index++) {
      await testDatabase.database.transaction((transaction) =>
        writeToOutbox(transaction, [
          {
            routingKey: 'delayed.nowhere',
            envelope: createEnvelope('delayed.nowhere', { index }),
            coalesceKey: 'delayed:9',
            delayMs: 1_500,
          },
        ]),
      );
    }
    const pending = await testDatabase.database.query<{ n: number; waits: boolean }>(
      `SELECT count(*)::int AS n, bool_and(not_before > now()) AS waits FROM outbox WHERE coalesce_key = 'delayed:9'`,
    );
    assert.deepEqual(pending.rows[0], { n: 1, waits: true });
    await new Promise((resolve) => setTimeout(resolve, 500)); // several relay polls
    assert.equal(await unroutable(), before, 'not sent before its time');
    await waitFor(async () => (await unroutable()) === before + 1, { timeoutMs: 10_000 });
    assert.ok(Date.now() - writtenAt >= 1_500, 'sent after the delay');
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(await unroutable(), before + 1, 'three writes, one message');
  });
});
