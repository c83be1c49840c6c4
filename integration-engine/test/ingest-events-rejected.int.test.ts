import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  createEnvelope,
  createOutboxRelay,
  createQueueWorker,
  type BrokerConnection,
  type Envelope,
  type GenericEvent,
  type GenericEventBatch,
  type OutboxRelay,
  type QueueWorker,
  type Validator,
} from '@repopulse/core';
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
import { Registry } from 'prom-client';
import { createEngine, type Engine } from '../src/engine.js';
import { createIngestEventsHandler } from '../src/ingest-events/handle-ingest-events.js';
import { nextSha } from './event-builders.js';
import { pushBody, starBody, webhookEnvelope, widgetsRepository } from './github-webhook-builders.js';

// A retried message would wait a minute in its retry queue: one there is seen, not redelivered meanwhile.
const retryDelaysMs = [60_000];

/** The values the schema let through before, which PostgreSQL cannot store, each in an event of its own. */
const adversarial: Array<[string, (repository: GenericEvent['repository']) => GenericEvent]> = [
  ['additions: 2147483648', (repository) => commit(repository, { additions: 2_147_483_648 })],
  ['occurredAt 0000-01-01T00:00:00Z', (repository) => star(repository, 'zero', '0000-01-01T00:00:00Z')],
  [
    'occurredAt 9999-12-31T23:59:59-23:59',
    (repository) => star(repository, 'late', '9999-12-31T23:59:59-23:59'),
  ],
  ['a NUL in a commit message', (repository) => commit(repository, { message: 'fix\u0000' })],
  ['a NUL in an issue title', (repository) => issue(repository, 'It\u0000squeaks')],
  ['a NUL in an event id', (repository) => ({ ...star(repository, 'nul'), id: 'event\u0000id' })],
];

let eventCounter = 0;
function star(repository: GenericEvent['repository'], login: string, occurredAt = '2026-11-02T10:00:00Z') {
  return {
    id: `star-${++eventCounter}`,
    type: 'star',
    action: 'created',
    repository,
    occurredAt,
    actor: { login },
    data: {},
  } as GenericEvent;
}
function commit(repository: GenericEvent['repository'], data: Record<string, unknown>): GenericEvent {
  return {
    id: `commit-${++eventCounter}`,
    type: 'commit',
    action: 'pushed',
    repository,
    occurredAt: '2026-11-02T10:00:00Z',
    data: { sha: nextSha(), ...data },
  } as GenericEvent;
}
function issue(
  repository: GenericEvent['repository'],
  title: string,
  action: 'opened' | 'edited' | 'closed' = 'opened',
  occurredAt = '2026-11-02T10:00:00Z',
): GenericEvent {
  return {
    id: `issue-${++eventCounter}`,
    type: 'issue',
    action,
    repository,
    occurredAt,
    data: { number: 1, title },
  };
}

/** 50 valid stars with the bad event among them (at `at`). */
function poisonedBatch(repository: GenericEvent['repository'], bad: GenericEvent, at = 17): GenericEvent[] {
  const stars = Array.from({ length: 50 }, (_, index) => star(repository, `fan-${index}`));
  return [...stars.slice(0, at), bad, ...stars.slice(at)];
}

describe('one bad event does not cost its batch (real RabbitMQ and PostgreSQL)', () => {
  const logger = testLogger();
  let testDatabase: TestDatabase;
  const brokers: Array<{ broker: BrokerConnection; prefix: string }> = [];
  let engine: Engine;
  let careless: QueueWorker;
  let carelessRelay: OutboxRelay;
  let engineBroker: BrokerConnection;
  let carelessBroker: BrokerConnection;

  async function connect(): Promise<BrokerConnection> {
    const prefix = testQueuePrefix();
    const broker = await connectTestBroker({ logger, prefix, retryDelaysMs, confirmTimeoutMs: 5_000 });
    brokers.push({ broker, prefix });
    return broker;
  }

  before(async () => {
    testDatabase = await createTestDatabase();
    engineBroker = await connect();
    engine = createEngine({
      database: testDatabase.database,
      broker: engineBroker,
      logger,
      registry: new Registry(),
      prefetch: 4,
      maxAttempts: 3,
      retryDelaysMs,
      github: { apiUrl: 'http://127.0.0.1:9', tokens: [] },
      gitCacheDir: path.join(os.tmpdir(), 'repopulse-unused-git-cache'),
      gitTargets: { allowLocal: false },
    });
    await engine.start();
    // The engine's handler behind a schema that lets everything through, as the schema of before let
    // these values through: only PostgreSQL refuses them, and the worker isolates them.
    carelessBroker = await connect();
    const acceptAnything: Validator<GenericEventBatch> = (value) => value as GenericEventBatch;
    carelessRelay = createOutboxRelay({ database: testDatabase.database, publisher: carelessBroker, logger });
    careless = createQueueWorker({
      queue: 'ingest.events',
      handler: createIngestEventsHandler(acceptAnything),
      database: testDatabase.database,
      broker: carelessBroker,
      relay: carelessRelay,
      logger,
      prefetch: 4,
      maxAttempts: 3,
      retryDelaysMs,
      isolatesDataErrors: true,
    });
    await careless.start();
  });

  after(async () => {
    await careless.stop();
    await carelessRelay.stop();
    await engine.stop();
    for (const { broker, prefix } of brokers) {
      await broker.close();
      await removeTestTopology(prefix, retryDelaysMs);
    }
    await testDatabase.drop();
  });

  async function count(sql: string, values: unknown[]): Promise<number> {
    const { rows } = await testDatabase.database.query<{ n: number }>(sql, values);
    return rows[0]!.n;
  }

  /** Publishes the batch as a careless or old producer would, straight to the queue; waits until it committed. */
  async function publish(broker: BrokerConnection, events: GenericEvent[], id?: string) {
    const envelope: Envelope = createEnvelope('ingest.events', { source: 'old-producer', events }, { id });
    await broker.publish('ingest.events', envelope);
    await waitFor(
      async () =>
        (await count(
          "SELECT count(*)::int AS n FROM processed_messages WHERE consumer = 'ingest.events' AND message_id = $1",
          [envelope.id],
        )) === 1,
      { what: `message ${envelope.id} committed` },
    );
    return envelope;
  }

  async function assertSettled(broker: BrokerConnection) {
    await waitFor(async () => (await queueDepth(broker.names.queue('ingest.events'))) === 0, {
      what: 'the message acknowledged',
    });
    assert.equal(
      await queueDepth(broker.names.retryQueue('ingest.events', retryDelaysMs[0]!)),
      0,
      'no retry',
    );
    assert.equal(await queueDepth(broker.names.deadQueue('ingest.events')), 0, 'no dead letter');
  }

  async function assertFiftyStarsStoredOnce(owner: string) {
    const repository = `SELECT id FROM repositories WHERE owner = $1`;
    assert.equal(
      await count(`SELECT count(*)::int AS n FROM stars WHERE repository_id IN (${repository})`, [owner]),
      50,
    );
    assert.equal(
      await count(
        `SELECT coalesce(sum(stars), 0)::int AS n FROM activity_daily WHERE repository_id IN (${repository})`,
        [owner],
      ),
      50,
      'each star counted once in the rollup',
    );
  }

  async function rejectedRows(messageId: string) {
    const { rows } = await testDatabase.database.query<{
      position: number;
      event_id: string;
      event: string;
      reason: string;
      errors: Array<{ path: string }>;
      sqlstate: string | null;
    }>(
      'SELECT position, event_id, event, reason, errors, sqlstate FROM rejected_events WHERE message_id = $1',
      [messageId],
    );
    return rows;
  }

  for (const [index, [what, build]] of adversarial.entries()) {
    test(`a batch of 50 valid stars and one event with ${what}: the 50 are stored once, the bad one is rejected with the path`, async () => {
      const repository = { host: 'github.com', owner: `schema-${index}`, name: 'widgets' };
      const bad = build(repository);
      const envelope = await publish(engineBroker, poisonedBatch(repository, bad));
      await assertSettled(engineBroker);
      await assertFiftyStarsStoredOnce(repository.owner);
      const [rejected, ...others] = await rejectedRows(envelope.id);
      assert.deepEqual(others, []);
      assert.equal(rejected!.position, 17);
      assert.deepEqual(JSON.parse(rejected!.event), bad, 'the event as it came');
      assert.match(rejected!.reason, /^its schema refuses it: \/events\/17\//);
      assert.ok(rejected!.errors.every((error) => error.path.startsWith('/events/17/')));
      assert.equal(rejected!.sqlstate, null);
    });

    test(`even behind a schema that lets ${what} through, PostgreSQL's refusal costs only that event`, async () => {
      const repository = { host: 'github.com', owner: `database-${index}`, name: 'widgets' };
      const bad = build(repository);
      const envelope = await publish(carelessBroker, poisonedBatch(repository, bad, 33));
      await assertSettled(carelessBroker);
      await assertFiftyStarsStoredOnce(repository.owner);
      const [rejected, ...others] = await rejectedRows(envelope.id);
      assert.deepEqual(others, []);
      assert.equal(rejected!.position, 33);
      assert.deepEqual(JSON.parse(rejected!.event), bad);
      assert.match(rejected!.sqlstate ?? '', /^22/, rejected!.reason);
      assert.match(rejected!.reason, /^PostgreSQL refused it: /);
    });
  }

  test('a redelivered poisoned batch changes nothing, and the corrected event sent again is stored', async () => {
    const repository = { host: 'github.com', owner: 'redelivered', name: 'widgets' };
    const bad = star(repository, 'late', '9999-12-31T23:59:59-23:59');
    const events = poisonedBatch(repository, bad);
    const first = await publish(engineBroker, events);
    await publish(engineBroker, events, first.id);
    await assertSettled(engineBroker);
    await assertFiftyStarsStoredOnce(repository.owner);
    assert.equal((await rejectedRows(first.id)).length, 1, 'rejected once');
    // The rejected event's id was not marked processed: fixed, the same event id is applied.
    await publish(engineBroker, [{ ...bad, occurredAt: '2026-11-03T10:00:00Z' }]);
    assert.equal(
      await count(
        `SELECT count(*)::int AS n FROM stars s JOIN repositories r ON r.id = s.repository_id
          WHERE r.owner = $1 AND s.actor_login = 'late'`,
        [repository.owner],
      ),
      1,
    );
  });

  test('isolating keeps the order of changes to one fact and stores a batch of several bad events but for them', async () => {
    const repository = { host: 'github.com', owner: 'ordered', name: 'widgets' };
    const events: GenericEvent[] = [
      issue(repository, 'First'),
      commit(repository, { additions: 2_147_483_648 }),
      issue(repository, 'Second', 'edited', '2026-11-02T11:00:00Z'),
      commit(repository, { deletions: 9_999_999_999 }),
      issue(repository, 'Third', 'closed', '2026-11-02T12:00:00Z'),
    ];
    const envelope = await publish(carelessBroker, events);
    await assertSettled(carelessBroker);
    const { rows } = await testDatabase.database.query<{ title: string; state: string }>(
      `SELECT title, state FROM issues i JOIN repositories r ON r.id = i.repository_id WHERE r.owner = $1`,
      [repository.owner],
    );
    assert.deepEqual(rows, [{ title: 'Third', state: 'closed' }]);
    assert.deepEqual((await rejectedRows(envelope.id)).map((row) => row.position).sort(), [1, 3]);
  });

  describe('a GitHub delivery is one event', () => {
    async function deliver(event: string, body: Record<string, unknown>) {
      const envelope = webhookEnvelope(event, body);
      await engineBroker.publish('ingest.github-webhook', envelope);
      await waitFor(
        async () =>
          (await count(
            "SELECT count(*)::int AS n FROM processed_messages WHERE consumer = 'ingest.github-webhook' AND message_id = $1",
            [envelope.id],
          )) === 1,
        { what: `delivery ${envelope.id} committed` },
      );
      await waitFor(async () => (await queueDepth(engineBroker.names.queue('ingest.github-webhook'))) === 0);
      assert.equal(
        await queueDepth(engineBroker.names.deadQueue('ingest.github-webhook')),
        0,
        'no dead letter',
      );
      return envelope;
    }

    test('a delivery with a value out of its bounds, straight to the queue, is a rejected event and acknowledged', async () => {
      const body = pushBody([{ id: 'f'.repeat(40), timestamp: '9999-12-31T23:59:59-23:59' }]);
      const envelope = await deliver('push', {
        ...body,
        repository: { ...widgetsRepository, name: 'bounded', stargazers_count: 2_147_483_648 },
      });
      const rows = await rejectedRows(envelope.id);
      assert.deepEqual(
        rows.map((row) => [row.event_id, row.errors]),
        [[envelope.id, [{ path: '/repository/stargazers_count', message: 'must be <= 2147483647' }]]],
      );
      assert.equal(await count("SELECT count(*)::int AS n FROM repositories WHERE name = 'bounded'", []), 0);
    });

    test('a NUL in a pushed commit message is stored as U+FFFD, the push is not refused', async () => {
      const sha = 'e'.repeat(40);
      const envelope = await deliver(
        'push',
        pushBody([{ id: sha, timestamp: '2026-11-02T10:00:00Z', message: 'fix\u0000it' }]),
      );
      assert.deepEqual(await rejectedRows(envelope.id), []);
      const { rows } = await testDatabase.database.query<{ message: string }>(
        'SELECT message FROM commits WHERE sha = $1',
        [sha],
      );
      assert.deepEqual(rows, [{ message: 'fix\uFFFDit' }]);
    });

    test("a delivery PostgreSQL refuses for its data is written again, then a rejected event with PostgreSQL's reason", async () => {
      // A refusal the bounds cannot foresee, made up by a trigger on this test's database.
      await testDatabase.database.query(`
        CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.actor_login = 'poison' THEN
            RAISE EXCEPTION 'made up by the test' USING ERRCODE = 'check_violation';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_poison BEFORE INSERT ON stars FOR EACH ROW EXECUTE FUNCTION refuse_poison();`);
      const envelope = await deliver('star', starBody('created', 'poison', '2026-11-02T10:00:00Z'));
      const [rejected, ...others] = await rejectedRows(envelope.id);
      assert.deepEqual(others, []);
      assert.equal(rejected!.sqlstate, '23514');
      assert.match(rejected!.reason, /^PostgreSQL refused it: made up by the test/);
      const fine = await deliver('star', starBody('created', 'fine', '2026-11-02T10:00:00Z'));
      assert.deepEqual(await rejectedRows(fine.id), []);
      assert.equal(await count("SELECT count(*)::int AS n FROM stars WHERE actor_login = 'fine'", []), 1);
    });
  });
});
