import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrokerConnection } from '@repopulse/core';
import {
  connectTestBroker,
  createTestDatabase,
  drainQueue,
  removeTestTopology,
  testLogger,
  testQueuePrefix,
  waitFor,
  type TestDatabase,
} from '@repopulse/core/testing';
import { firingsOf, insertSource } from '../../cron/test/builders.js';
import { startModuleProcess, type ModuleProcess } from './engine-process.js';

const retryDelaysMs = [1_000];
const occurrencesWanted = 36;

describe('two cron processes on one per-second schedule (real processes, PostgreSQL, RabbitMQ)', () => {
  const prefix = testQueuePrefix();
  let testDatabase: TestDatabase;
  let broker: BrokerConnection;
  const processes: ModuleProcess[] = [];
  /** crawlRunId of every crawl.repo message that reached the queue. */
  const published: string[] = [];
  let engineStandIn: NodeJS.Timeout | undefined;

  before(async () => {
    testDatabase = await createTestDatabase();
    broker = await connectTestBroker({ prefix, retryDelaysMs, logger: testLogger() });
  });

  after(async () => {
    clearTimeout(engineStandIn);
    for (const cron of processes) cron.child.kill('SIGKILL');
    await broker.close();
    await removeTestTopology(prefix, retryDelaysMs);
    await testDatabase.drop();
  });

  function startCron(replicaId: string): ModuleProcess {
    const cron = startModuleProcess('cron', {
      DATABASE_URL: testDatabase.url,
      QUEUE_PREFIX: prefix,
      QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
      CRON_RELOAD_INTERVAL_MS: '500',
      CRON_REPLICA_ID: replicaId,
    });
    processes.push(cron);
    return cron;
  }

  /**
   * Stands in for the engine: takes what reached crawl.repo and finishes each run, so the next occurrence
   * may start the next one. (The engine's own crawl is tested elsewhere; here every second counts.)
   */
  async function finishPublishedRuns(): Promise<void> {
    const messages = await drainQueue(broker.names.queue('crawl.repo'));
    const ids = messages.map(
      (message) => (message.json as { payload: { crawlRunId: string } }).payload.crawlRunId,
    );
    published.push(...ids);
    if (ids.length > 0) {
      await testDatabase.database.query(
        `UPDATE crawl_runs SET status = 'done', done = 1, finished_at = now(), updated_at = now() WHERE id = ANY($1)`,
        [ids],
      );
    }
  }

  function keepFinishingRuns(): void {
    engineStandIn = setTimeout(() => {
      finishPublishedRuns().then(keepFinishingRuns, keepFinishingRuns);
    }, 100);
  }

  test('fires every occurrence once and only once, while one process is killed and comes back', async () => {
    const sourceId = await insertSource(testDatabase.database, {
      kind: 'git',
      target: '/srv/git/acme/heartbeat.git',
      schedule: '* * * * * *',
    });
    keepFinishingRuns();
    const scheduled = async () =>
      (await firingsOf(testDatabase.database, sourceId)).filter((row) => row.reason !== 'initial');
    const atLeast = (count: number, what: string) =>
      waitFor(async () => (await scheduled()).length >= count && (await scheduled()), {
        timeoutMs: 60_000,
        what,
      });

    let first = startCron('replica-a');
    startCron('replica-b');
    await atLeast(10, 'ten occurrences with both running');

    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = new Date();
    await atLeast(20, 'ten more with replica-a dead');

    first = startCron('replica-a');
    await atLeast(occurrencesWanted, 'the rest with both running again');

    const alive = processes.filter(
      (process) => process.child.exitCode === null && process.child.signalCode === null,
    );
    for (const cron of alive) cron.child.kill('SIGTERM');
    assert.deepEqual(
      await Promise.all(alive.map((process) => process.exited)),
      [0, 0],
      'SIGTERM stops cleanly',
    );
    clearTimeout(engineStandIn);
    await finishPublishedRuns();

    const firings = await firingsOf(testDatabase.database, sourceId);
    const onSchedule = firings.filter((row) => row.reason !== 'initial');
    assert.equal(firings.filter((row) => row.reason === 'initial').length, 1, 'one first crawl');
    assert.ok(onSchedule.length >= occurrencesWanted);
    // Once: one row per occurrence (the primary key) — and every second from the first to the last has
    // one, so none was dropped, not even while replica-a was dead.
    const seconds = onSchedule.map((row) => row.occurrence.getTime() / 1_000);
    assert.ok(seconds.every(Number.isInteger), 'occurrences are whole seconds');
    assert.deepEqual(
      seconds,
      Array.from({ length: seconds.length }, (_, index) => seconds[0]! + index),
      'every second between the first and the last occurrence fired',
    );
    // Only once: each started occurrence published exactly one crawl message, and nothing else was published.
    const started = firings.filter((row) => row.outcome === 'started').map((row) => row.crawlRunId);
    assert.deepEqual([...published].sort(), [...started].sort());
    const { rows } = await testDatabase.database.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM crawl_runs WHERE source_id = $1`,
      [sourceId],
    );
    assert.equal(rows[0]!.count, started.length, 'one crawl run per started occurrence');
    assert.ok(started.length >= 2, 'finished runs let later occurrences start crawls');
    const whileDead = onSchedule.filter((row) => row.occurrence > killedAt && row.firedBy === 'replica-b');
    assert.ok(whileDead.length >= 5, 'replica-b took over while replica-a was dead');
    assert.ok(
      onSchedule.some((row) => row.firedBy === 'replica-a'),
      'both replicas fired occurrences',
    );
  });
  test('prunes the inbox and the audit log past their retention, while running', async () => {
    await testDatabase.database.query(
      `INSERT INTO processed_messages (consumer, message_id, processed_at)
       VALUES ('ingest.events', 'expired', now() - interval '3 days'), ('ingest.events', 'kept', now())`,
    );
    await testDatabase.database.query(
      `INSERT INTO audit_log (occurred_at, actor_kind, action, outcome)
       VALUES (now() - interval '3 days', 'system', 'expired', 'success')`,
    );
    const cron = startModuleProcess('cron', {
      DATABASE_URL: testDatabase.url,
      QUEUE_PREFIX: prefix,
      QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
      CRON_REPLICA_ID: 'pruner',
      RETENTION_PROCESSED_MESSAGES_DAYS: '2',
      RETENTION_AUDIT_DAYS: '2',
      RETENTION_INTERVAL_MS: '1000',
    });
    processes.push(cron);
    const left = async () =>
      (
        await testDatabase.database.query<{ message_id: string }>(
          `SELECT message_id FROM processed_messages
           UNION ALL SELECT action FROM audit_log WHERE action = 'expired'`,
        )
      ).rows.map((row) => row.message_id);
    await waitFor(async () => (await left()).length === 1, {
      timeoutMs: 30_000,
      what: 'the expired rows pruned',
    });
    assert.deepEqual(await left(), ['kept']);
  });
});
