import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { createOutboxRelay, type BrokerConnection, type Logger } from '@repopulse/core';
import {
  capturedLogger,
  connectTestBroker,
  createTestDatabase,
  drainQueue,
  removeTestTopology,
  testLogger,
  testQueuePrefix,
  waitFor,
  type InspectedMessage,
  type TestDatabase,
} from '@repopulse/core/testing';
import { createCronMetrics } from '../src/cron-metrics.js';
import { createScheduler, type SchedulerOptions } from '../src/scheduler.js';
import { firingsOf, insertSource } from './builders.js';

const retryDelaysMs = [1_000];

describe('cron scheduler (real PostgreSQL and RabbitMQ, node-cron)', () => {
  const prefix = testQueuePrefix();
  let broker: BrokerConnection;
  const databases: TestDatabase[] = [];

  before(async () => {
    broker = await connectTestBroker({ prefix, retryDelaysMs, logger: testLogger() });
  });

  after(async () => {
    await broker.close();
    await removeTestTopology(prefix, retryDelaysMs);
    for (const database of databases) await database.drop();
  });

  /** A database of its own, a relay and a scheduler over it; the queues are emptied first. */
  async function harness(overrides: Partial<SchedulerOptions> & { logger?: Logger } = {}) {
    const testDatabase = await createTestDatabase();
    databases.push(testDatabase);
    await drainQueue(broker.names.queue('crawl.repo'));
    await drainQueue(broker.names.queue('crawl.org'));
    const logger = overrides.logger ?? testLogger();
    const registry = new Registry();
    const relay = createOutboxRelay({
      database: testDatabase.database,
      publisher: broker,
      logger,
      pollIntervalMs: 100,
    });
    const scheduler = createScheduler({
      database: testDatabase.database,
      relay,
      logger,
      metrics: createCronMetrics(registry),
      replicaId: 'replica-under-test',
      timezone: 'UTC',
      catchUp: 'run-once',
      reloadIntervalMs: 200,
      staleRunAfterMs: 3_600_000,
      ...overrides,
    });
    const received: InspectedMessage[] = [];
    const messages = async (queue = 'crawl.repo') => {
      await relay.relayPending();
      received.push(...(await drainQueue(broker.names.queue(queue))));
      return received;
    };
    return {
      database: testDatabase.database,
      registry,
      relay,
      scheduler,
      messages,
      async start() {
        relay.start();
        await scheduler.start();
      },
      async stop() {
        await scheduler.stop();
        await relay.stop();
      },
    };
  }

  test('crawls a new source once at creation, and not again while that crawl is still going', async () => {
    const h = await harness();
    const gitUrl = 'https://git.example.org/tools/widget.git';
    const sourceId = await insertSource(h.database, { kind: 'git', target: gitUrl, schedule: '* * * * * *' });
    await h.start();
    try {
      const firings = await waitFor(
        async () => {
          const rows = await firingsOf(h.database, sourceId);
          return rows.filter((row) => row.reason !== 'initial').length >= 2 && rows;
        },
        { what: 'the first crawl and two scheduled occurrences' },
      );
      const initial = firings.filter((row) => row.reason === 'initial');
      assert.equal(initial.length, 1);
      assert.equal(initial[0]!.outcome, 'started');
      const runId = initial[0]!.crawlRunId!;
      for (const later of firings.filter((row) => row.reason !== 'initial')) {
        assert.equal(later.outcome, 'skipped', 'the first run is still queued');
        assert.match(later.skippedReason ?? '', new RegExp(`previous crawl run ${runId} is still going`));
        assert.equal(later.occurrence.getMilliseconds(), 0, 'occurrences are the schedule’s whole seconds');
      }
      const [message] = await h.messages();
      assert.deepEqual(message!.json, {
        ...(message!.json as object),
        type: 'crawl.repo',
        payload: {
          host: 'git.example.org',
          owner: 'tools',
          name: 'widget',
          gitUrl,
          crawlRunId: runId,
          requestedBy: 'cron',
          sourceId,
        },
      });
      const { rows: runs } = await h.database.query(
        `SELECT status, trigger, total, done, source_id::text AS "sourceId" FROM crawl_runs WHERE id = $1`,
        [runId],
      );
      assert.deepEqual(runs, [{ status: 'queued', trigger: 'schedule', total: 1, done: 0, sourceId }]);

      // The engine finishes the run: the next occurrence starts the next one.
      await h.database.query(
        `UPDATE crawl_runs SET status = 'done', done = 1, updated_at = now() WHERE id = $1`,
        [runId],
      );
      const next = await waitFor(
        async () =>
          (await firingsOf(h.database, sourceId)).find(
            (row) => row.reason === 'schedule' && row.outcome === 'started',
          ),
        { what: 'a scheduled occurrence that starts a crawl' },
      );
      const ids = (
        await waitFor(async () => {
          const all = await h.messages();
          return all.length >= 2 && all;
        })
      ).map((m) => (m.json as { payload: { crawlRunId: string } }).payload.crawlRunId);
      assert.deepEqual(ids, [runId, next.crawlRunId]);
    } finally {
      await h.stop();
    }
  });

  test('a source without a schedule crawls once at creation and then only when asked', async () => {
    const h = await harness();
    const sourceId = await insertSource(h.database, { kind: 'github-org', target: 'octo-org' });
    await h.start();
    try {
      await waitFor(async () => (await firingsOf(h.database, sourceId)).length === 1, {
        what: 'the first crawl',
      });
      const [message] = await waitFor(async () => {
        const all = await h.messages('crawl.org');
        return all.length === 1 && all;
      });
      const payload = (message!.json as { payload: Record<string, unknown> }).payload;
      assert.equal(payload.login, 'octo-org');
      assert.equal(payload.kind, 'github-org');
      assert.equal(payload.sourceId, sourceId);
      await h.database.query(`UPDATE crawl_runs SET status = 'done', updated_at = now()`);
      await h.scheduler.reload();
      await h.scheduler.reload();
      assert.equal(
        (await firingsOf(h.database, sourceId)).length,
        1,
        'a crawled source has no first crawl again',
      );
    } finally {
      await h.stop();
    }
  });

  test('takes up a changed schedule and stops a disabled source without a restart', async () => {
    const h = await harness();
    const sourceId = await insertSource(h.database, {
      kind: 'github-repo',
      target: 'octo/widget',
      schedule: '0 0 1 1 *',
      crawledBefore: true,
    });
    // A second source ticking every second is the test's clock: "no firing since" means over its ticks.
    const clockId = await insertSource(h.database, {
      target: '/srv/git/clock/tick',
      schedule: '* * * * * *',
      crawledBefore: true,
    });
    await h.start();
    try {
      await waitFor(async () => (await firingsOf(h.database, clockId)).length >= 1, { what: 'the clock' });
      assert.equal((await firingsOf(h.database, sourceId)).length, 0, 'a yearly schedule has not come due');

      await h.database.query(
        `UPDATE sources SET schedule = '* * * * * *', updated_at = now() WHERE id = $1`,
        [sourceId],
      );
      await waitFor(async () => (await firingsOf(h.database, sourceId)).length >= 2, {
        what: 'the new schedule firing',
      });

      await h.database.query(`UPDATE sources SET enabled = false, updated_at = now() WHERE id = $1`, [
        sourceId,
      ]);
      await h.scheduler.reload();
      const firedWhileEnabled = (await firingsOf(h.database, sourceId)).length;
      const clockThen = (await firingsOf(h.database, clockId)).length;
      await waitFor(async () => (await firingsOf(h.database, clockId)).length >= clockThen + 3, {
        what: 'three ticks',
      });
      assert.equal(
        (await firingsOf(h.database, sourceId)).length,
        firedWhileEnabled,
        'a disabled source does not fire',
      );

      await h.database.query(`UPDATE sources SET enabled = true, updated_at = now() WHERE id = $1`, [
        sourceId,
      ]);
      await waitFor(async () => (await firingsOf(h.database, sourceId)).length > firedWhileEnabled, {
        what: 'the enabled source firing again',
      });
    } finally {
      await h.stop();
    }
  });

  test('logs and skips a schedule that is not a cron expression, and keeps firing the others', async () => {
    const { logger, lines } = capturedLogger('info', 'cron');
    const h = await harness({ logger });
    const brokenId = await insertSource(h.database, {
      target: '/srv/git/a/broken',
      schedule: 'every day at noon',
      crawledBefore: true,
    });
    const impossibleId = await insertSource(h.database, {
      target: '/srv/git/a/never',
      schedule: '0 0 31 2 *',
      crawledBefore: true,
    });
    const clockId = await insertSource(h.database, {
      target: '/srv/git/a/clock',
      schedule: '* * * * * *',
      crawledBefore: true,
    });
    await h.start();
    try {
      await waitFor(async () => (await firingsOf(h.database, clockId)).length >= 3, {
        what: 'three ticks of the clock',
      });
      assert.equal((await firingsOf(h.database, brokenId)).length, 0);
      assert.equal((await firingsOf(h.database, impossibleId)).length, 0);
      const warnings = (await lines()).filter(
        (line) => line.message === 'source schedule is not a valid cron expression, skipped',
      );
      assert.deepEqual(
        warnings.map((line) => [line.sourceId, line.schedule]),
        [
          [brokenId, 'every day at noon'],
          [impossibleId, '0 0 31 2 *'],
        ],
        'each is reported once, not at every reload',
      );
      assert.match(String(warnings[0]!.problem), /expected 5 or 6 fields/);
      assert.match(await h.registry.metrics(), /^cron_invalid_schedules 2$/m);
      assert.match(await h.registry.metrics(), /^cron_scheduled_sources 1$/m);
    } finally {
      await h.stop();
    }
  });

  /** A source due every minute, whose last firing was ten minutes ago: the cron replicas were all down. */
  async function sourceMissedForTenMinutes(database: TestDatabase['database']): Promise<string> {
    const sourceId = await insertSource(database, {
      target: '/srv/git/a/missed',
      schedule: '* * * * *',
      editedSecondsAgo: 3_600,
      crawledBefore: true,
    });
    await database.query(
      `INSERT INTO schedule_firings (source_id, occurrence, reason, outcome, fired_by)
       VALUES ($1, date_trunc('minute', now() - interval '10 minutes'), 'schedule', 'started', 'gone-replica')`,
      [sourceId],
    );
    return sourceId;
  }

  test('runs the latest occurrence missed while no replica ran, once (CRON_CATCH_UP=run-once)', async () => {
    const h = await harness({ catchUp: 'run-once' });
    const sourceId = await sourceMissedForTenMinutes(h.database);
    const startedAt = new Date();
    await h.start();
    try {
      const caughtUp = await waitFor(
        async () => (await firingsOf(h.database, sourceId)).find((row) => row.reason === 'catch-up'),
        { what: 'the catch-up firing' },
      );
      const latestMinute = Math.floor(startedAt.getTime() / 60_000) * 60_000;
      assert.ok(
        caughtUp.occurrence.getTime() === latestMinute ||
          caughtUp.occurrence.getTime() === latestMinute + 60_000,
        `the latest missed minute, got ${caughtUp.occurrence.toISOString()}`,
      );
      assert.equal(caughtUp.outcome, 'started');
      await h.scheduler.reload();
      const all = await firingsOf(h.database, sourceId);
      assert.equal(
        all.filter((row) => row.reason === 'catch-up').length,
        1,
        'nine missed occurrences run once',
      );
      const messages = await h.messages();
      assert.equal(messages.length, all.filter((row) => row.outcome === 'started').length - 1);
    } finally {
      await h.stop();
    }
  });

  test('skips the occurrences missed while no replica ran (CRON_CATCH_UP=skip)', async () => {
    const { logger, lines } = capturedLogger('info', 'cron');
    const h = await harness({ catchUp: 'skip', logger });
    const sourceId = await sourceMissedForTenMinutes(h.database);
    const startedAt = new Date();
    await h.start();
    await h.stop();
    const firings = await firingsOf(h.database, sourceId);
    const fired = firings.filter((row) => row.firedBy !== 'gone-replica');
    // Only an occurrence that came due while the scheduler ran (a minute turning over) may have fired.
    assert.deepEqual(
      fired.filter((row) => row.reason !== 'schedule' || row.occurrence < startedAt),
      [],
      'nothing was fired for the missed occurrences',
    );
    assert.equal((await h.messages()).length, fired.filter((row) => row.outcome === 'started').length);
    const skipped = (await lines()).filter(
      (line) => line.message === 'occurrence missed while no replica ran, skipped',
    );
    assert.equal(skipped.length, 1);
    assert.equal(skipped[0]!.sourceId, sourceId);
    assert.match(await h.registry.metrics(), /^cron_missed_occurrences_skipped_total 1$/m);
  });
});
