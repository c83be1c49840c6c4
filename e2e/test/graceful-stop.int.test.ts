import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createEnvelope, type BrokerConnection, type GenericEvent } from '@repopulse/core';
import {
  connectTestBroker,
  createTestDatabase,
  queueDepth,
  removeTestTopology,
  testLogger,
  testQueuePrefix,
  waitFor,
  type TestDatabase,
} from '@repopulse/core/testing';
import { startModuleProcess, type ModuleProcess } from './engine-process.js';

const retryDelaysMs = [200];

function starBatch(count: number) {
  const events: GenericEvent[] = [];
  for (let index = 0; index < count; index++) {
    events.push({
      id: `graceful-${index}`,
      type: 'star',
      action: 'created',
      repository: { host: 'codeberg.org', owner: 'forgejo', name: 'forgejo' },
      occurredAt: '2026-03-01T12:00:00Z',
      actor: { login: `fan-${index}` },
      data: {},
    });
  }
  return { source: 'graceful-stop-test', events };
}

describe('SIGTERM while a message is in flight (a real engine process)', () => {
  const prefix = testQueuePrefix();
  const logger = testLogger();
  let testDatabase: TestDatabase;
  let broker: BrokerConnection;
  let engine: ModuleProcess | undefined;
  let locker: pg.Client | undefined;

  before(async () => {
    testDatabase = await createTestDatabase();
    broker = await connectTestBroker({ logger, prefix, retryDelaysMs, confirmTimeoutMs: 5_000 });
  });

  after(async () => {
    engine?.child.kill('SIGKILL');
    await locker?.end().catch(() => undefined);
    await broker.close();
    await removeTestTopology(prefix, retryDelaysMs);
    await testDatabase.drop();
  });

  const count = async (sql: string) => (await testDatabase.database.query<{ n: number }>(sql)).rows[0]!.n;

  test('the message finishes, is acknowledged once, and nothing is lost or stored twice', async () => {
    // Hold the stars table so the engine's write waits inside its transaction: the message is in flight,
    // neither committed nor acknowledged, when SIGTERM arrives.
    locker = new pg.Client({ connectionString: testDatabase.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE stars IN ACCESS EXCLUSIVE MODE');

    engine = startModuleProcess('integration-engine', {
      DATABASE_URL: testDatabase.url,
      QUEUE_PREFIX: prefix,
      QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
      SHUTDOWN_TIMEOUT_MS: '30000',
      LOG_LEVEL: 'info',
    });
    const running = engine;
    await waitFor(() => /integration engine running/.test(running.output()), {
      timeoutMs: 60_000,
      what: 'the engine to start',
    });
    const message = createEnvelope('ingest.events', starBatch(40));
    await broker.publish('ingest.events', message);
    await waitFor(
      async () =>
        (await count(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND application_name LIKE 'integration-engine%' AND wait_event_type = 'Lock'`,
        )) > 0,
      { timeoutMs: 30_000, what: 'the engine to wait on the lock, mid-message' },
    );

    running.child.kill('SIGTERM');
    await waitFor(() => /"message":"stopping"/.test(running.output()), {
      what: 'the engine to begin stopping',
    });
    assert.equal(running.child.exitCode, null, 'the engine did not wait for its message');
    await locker.query('COMMIT');

    assert.equal(await running.exited, 0, running.output());
    assert.equal(await count('SELECT count(*)::int AS n FROM stars'), 40);
    assert.equal(
      await count(`SELECT count(*)::int AS n FROM processed_messages WHERE consumer = 'ingest.events'`),
      1,
    );
    // Acknowledged: nothing is back in the queue for a redelivery, and nothing went to the dead letters.
    assert.equal(await queueDepth(broker.names.queue('ingest.events')), 0, 'the message came back');
    assert.equal(await queueDepth(broker.names.deadQueue('ingest.events')), 0);
  });
});
