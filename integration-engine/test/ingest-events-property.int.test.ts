import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  createEnvelope,
  createOutboxRelay,
  createQueueWorker,
  type BrokerConnection,
  type GenericEvent,
  type GenericEventBatch,
  type OutboxRelay,
  type QueueWorker,
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

/** Runs per property: few in CI, more with PROPERTY_RUNS (e.g. 500) when looking for trouble. */
const numRuns = Number(process.env.PROPERTY_RUNS ?? 25);
const retryDelaysMs = [60_000];
const minute = 60_000;

/** Text PostgreSQL stores as sent: whole graphemes, no U+0000. */
const text = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((value) => !value.includes('\u0000'));

/**
 * An RFC 3339 time inside the schema's window, written with any offset PostgreSQL reads (±15:59) and 0–6
 * decimals: near 1970 a negative offset writes 1969, near now a positive one writes the future.
 */
const storableTime = fc
  .record({
    ms: fc.integer({ min: 0, max: Date.now() }),
    offset: fc.integer({ min: -959, max: 959 }).filter((minutes) => minutes % 100 < 60),
    decimals: fc.integer({ min: 0, max: 6 }),
  })
  .map(({ ms, offset, decimals }) => {
    const minutes = Math.sign(offset) * (Math.floor(Math.abs(offset) / 100) * 60 + (Math.abs(offset) % 100));
    const local = new Date(ms + minutes * minute).toISOString();
    const fraction = decimals === 0 ? '' : `.${local.slice(20, 23).padEnd(6, '0').slice(0, decimals)}`;
    const hhmm = `${String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0')}:${String(Math.abs(minutes) % 60).padStart(2, '0')}`;
    return `${local.slice(0, 19)}${fraction}${minutes === 0 ? 'Z' : `${minutes < 0 ? '-' : '+'}${hhmm}`}`;
  });

type EventSpec = {
  kind: 'star' | 'commit' | 'issue' | 'pull_request' | 'release' | 'fork';
  at: string;
  words: string;
};
const eventSpec: fc.Arbitrary<EventSpec> = fc.record({
  kind: fc.constantFrom('star', 'commit', 'issue', 'pull_request', 'release', 'fork'),
  at: storableTime,
  words: text,
});

/** The counted activity column each kind of event adds one to (every valid event here is a new fact). */
const columnOf = {
  star: 'stars',
  commit: 'commits',
  issue: 'issues_opened',
  pull_request: 'pull_requests_opened',
  release: 'releases',
  fork: 'forks',
} as const;
const tableOf = {
  star: 'stars',
  commit: 'commits',
  issue: 'issues',
  pull_request: 'pull_requests',
  release: 'releases',
  fork: 'forks',
} as const;

/** One valid event of the spec, its key unique in its run (`index`). */
function validEvent(spec: EventSpec, repository: GenericEvent['repository'], run: number, index: number) {
  const base = { id: `e-${run}-${index}`, repository, occurredAt: spec.at };
  const events: Record<EventSpec['kind'], () => GenericEvent> = {
    star: () => ({ ...base, type: 'star', action: 'created', actor: { login: `fan-${index}` }, data: {} }),
    commit: () => ({
      ...base,
      type: 'commit',
      action: 'pushed',
      data: {
        sha: (run * 10_000 + index).toString(16).padStart(40, '0'),
        message: spec.words,
        authoredAt: spec.at,
        author: { name: spec.words },
        additions: 2_147_483_647,
        deletions: 0,
      },
    }),
    issue: () => ({
      ...base,
      type: 'issue',
      action: 'opened',
      data: { number: index + 1, title: spec.words },
    }),
    pull_request: () => ({
      ...base,
      type: 'pull_request',
      action: 'opened',
      data: { number: index + 1, title: spec.words, createdAt: spec.at },
    }),
    release: () => ({
      ...base,
      type: 'release',
      action: 'published',
      data: { tag: `v${index}`, name: spec.words, publishedAt: spec.at },
    }),
    fork: () => ({
      ...base,
      type: 'fork',
      action: 'created',
      data: { fork: { owner: `f${index}`, name: 'x' } },
    }),
  };
  return events[spec.kind]();
}

/** What a careless producer sends that PostgreSQL cannot store, or the schema of before let through. */
const badTimes = [
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59-23:59',
  '2026-01-01T00:00:00+16:00',
  '2016-12-31T23:59:60Z',
  '2026-01-01T23:59:59.9999999Z',
  '1969-12-31T23:59:59Z',
  new Date(Date.now() + 3 * 86_400_000).toISOString(),
];
const badTexts = ['bad\u0000text', '\u0000', 'lone \ud800 surrogate', '\udfff'];
type BadEvent = (repository: GenericEvent['repository'], run: number) => GenericEvent;
const adversarial: fc.Arbitrary<BadEvent> = fc.oneof<fc.Arbitrary<BadEvent>[]>(
  fc.constantFrom(...badTimes).map((time) => (repository, run) => ({
    ...validEvent({ kind: 'star', at: '2026-11-01T00:00:00Z', words: '' }, repository, run, 99_999),
    occurredAt: time,
  })),
  fc.constantFrom(2_147_483_648, 9_007_199_254_740_991, 1e21).map((additions) => (repository, run) => {
    const event = validEvent(
      { kind: 'commit', at: '2026-11-01T00:00:00Z', words: '' },
      repository,
      run,
      99_999,
    );
    return { ...event, data: { ...event.data, additions } } as GenericEvent;
  }),
  fc
    .record({
      value: fc.constantFrom(...badTexts),
      field: fc.constantFrom('id', 'message', 'title', 'login', 'tag'),
    })
    .map(({ value, field }) => (repository, run) => {
      const kind = (
        { id: 'star', message: 'commit', title: 'issue', login: 'star', tag: 'release' } as const
      )[field];
      const event = validEvent({ kind, at: '2026-11-01T00:00:00Z', words: 'ok' }, repository, run, 99_999);
      if (field === 'id') return { ...event, id: value };
      if (field === 'login') return { ...event, actor: { login: value } };
      return { ...event, data: { ...event.data, [field]: value } } as GenericEvent;
    }),
);

interface BatchCase {
  specs: EventSpec[];
  bad: (repository: GenericEvent['repository'], run: number) => GenericEvent;
  where: number;
}
const batchCase: fc.Arbitrary<BatchCase> = fc.record({
  specs: fc.array(eventSpec, { minLength: 1, maxLength: 40 }),
  bad: adversarial,
  where: fc.nat(),
});

describe('property: batches of valid events with one adversarial event anywhere (real RabbitMQ, PostgreSQL)', () => {
  const logger = testLogger();
  let testDatabase: TestDatabase;
  const brokers: Array<{ broker: BrokerConnection; prefix: string }> = [];
  let engine: Engine;
  let careless: { worker: QueueWorker; relay: OutboxRelay; broker: BrokerConnection };
  let engineBroker: BrokerConnection;
  let run = 0;

  async function connect() {
    const prefix = testQueuePrefix();
    const broker = await connectTestBroker({ logger, prefix, retryDelaysMs });
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
      metricsComputeDelayMs: 3_600_000,
    });
    await engine.start();
    const broker = await connect();
    const relay = createOutboxRelay({ database: testDatabase.database, publisher: broker, logger });
    const worker = createQueueWorker({
      queue: 'ingest.events',
      // A schema that lets everything through: only PostgreSQL stands in the way.
      handler: createIngestEventsHandler((value) => value as GenericEventBatch, 3_600_000),
      database: testDatabase.database,
      broker,
      relay,
      logger,
      prefetch: 4,
      maxAttempts: 3,
      retryDelaysMs,
      isolatesDataErrors: true,
    });
    await worker.start();
    careless = { worker, relay, broker };
  });

  after(async () => {
    await careless.worker.stop();
    await careless.relay.stop();
    await engine.stop();
    for (const { broker, prefix } of brokers) {
      await broker.close();
      await removeTestTopology(prefix, retryDelaysMs);
    }
    await testDatabase.drop();
  });

  async function one<Row>(sql: string, values: unknown[]): Promise<Row> {
    return (await testDatabase.database.query<Row>(sql, values)).rows[0]!;
  }

  /** Publishes one generated batch, waits for its commit, and checks every valid event is stored exactly once. */
  async function check(broker: BrokerConnection, testCase: BatchCase, strict: boolean) {
    run++;
    const owner = `run-${run}-${strict ? 'schema' : 'database'}`;
    const repository = { host: 'github.com', owner, name: 'widgets' };
    const valid = testCase.specs.map((spec, index) => validEvent(spec, repository, run, index));
    // The bad event is in a repository of its own: the valid ones' repository counts only them.
    const bad = testCase.bad({ host: 'github.com', owner: `${owner}-bad`, name: 'widgets' }, run);
    const at = testCase.where % (valid.length + 1);
    const events = [...valid.slice(0, at), bad, ...valid.slice(at)];
    const envelope = createEnvelope('ingest.events', { source: 'property', events });
    await broker.publish('ingest.events', envelope);
    await waitFor(
      async () =>
        (
          await one<{ n: number }>(
            "SELECT count(*)::int AS n FROM processed_messages WHERE consumer = 'ingest.events' AND message_id = $1",
            [envelope.id],
          )
        ).n === 1,
      { what: `batch of run ${run} committed` },
    );
    for (const kind of Object.keys(tableOf) as Array<keyof typeof tableOf>) {
      const expected = valid.filter((event) => event.type === kind).length;
      const stored = await one<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${tableOf[kind]} f JOIN repositories r ON r.id = f.repository_id
          WHERE r.owner = $1`,
        [owner],
      );
      assert.equal(stored.n, expected, `${kind} facts`);
      const counted = await one<{ n: number }>(
        `SELECT coalesce(sum(a.${columnOf[kind]}), 0)::int AS n FROM activity_daily a
           JOIN repositories r ON r.id = a.repository_id WHERE r.owner = $1`,
        [owner],
      );
      assert.equal(counted.n, expected, `${kind} counted once`);
    }
    const { rows } = await testDatabase.database.query<{ position: number }>(
      'SELECT position FROM rejected_events WHERE message_id = $1',
      [envelope.id],
    );
    // The schema refuses every bad value; behind no schema, PostgreSQL refuses those it cannot store.
    if (strict) assert.deepEqual(rows, [{ position: at }]);
    else assert.ok(rows.length <= 1 && rows.every((row) => row.position === at), JSON.stringify(rows));
  }

  test('the engine stores every valid event exactly once and rejects the adversarial one', async () => {
    await fc.assert(
      fc.asyncProperty(batchCase, (testCase) => check(engineBroker, testCase, true)),
      { numRuns },
    );
    assert.equal(await queueDepth(engineBroker.names.deadQueue('ingest.events')), 0);
  });

  test('behind a schema that lets everything through, every valid event is still stored exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(batchCase, (testCase) => check(careless.broker, testCase, false)),
      { numRuns },
    );
    assert.equal(await queueDepth(careless.broker.names.deadQueue('ingest.events')), 0);
    assert.equal(await queueDepth(careless.broker.names.retryQueue('ingest.events', retryDelaysMs[0]!)), 0);
  });
});
