import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createEnvelope, createQueueWorker, type Envelope } from '@repopulse/core';
import { drainQueue, queueDepth, testLogger, waitFor } from '@repopulse/core/testing';
import {
  createDeadLetterArchiver,
  type DeadLetterArchiver,
} from '../src/dead-letters/dead-letter-archiver.js';
import {
  assertAdminsOnly,
  assertRefusesBadBodies,
  retryDelaysMs,
  startAdminApi,
  violationPaths,
  type AdminApi,
  type Answer,
} from './admin-api-harness.js';

interface DeadLetterAnswer {
  id: string;
  queue: string;
  messageId: string;
  type: string | null;
  attempts: number | null;
  error: string | null;
  failedAt: string;
  replayable: boolean;
  payload: unknown;
}

describe('dead letters: archived from the dead-letter queues, listed, replayed, deleted (real PostgreSQL and RabbitMQ)', () => {
  let api: AdminApi;
  let archiver: DeadLetterArchiver;

  before(async () => {
    api = await startAdminApi();
    api.relay.start();
    archiver = createDeadLetterArchiver({
      broker: api.broker,
      database: api.database,
      logger: testLogger(),
      prefetch: 4,
    });
    await archiver.start();
  });

  after(async () => {
    await archiver.stop(1_000);
    await api.close();
  });

  async function rowsOf(messageId: string) {
    const { rows } = await api.database.query<{
      id: string;
      envelope: Envelope | null;
      raw_body: string | null;
    }>(`SELECT id::text, envelope, raw_body FROM dead_letters WHERE message_id = $1`, [messageId]);
    return rows;
  }

  async function deadLetter(
    queue: string,
    payload: unknown,
    error = 'Error: it broke',
  ): Promise<DeadLetterAnswer> {
    const envelope = { ...createEnvelope(queue, payload), attempt: 5 };
    await api.broker.publish(queue, envelope, {
      exchange: 'dead',
      headers: {
        'x-error': error,
        'x-attempts': 5,
        'x-failed-at': '2026-11-02T10:00:00.000Z',
        'x-queue': queue,
      },
    });
    await waitFor(async () => (await rowsOf(envelope.id)).length === 1, { what: 'the dead letter archived' });
    const list = await api.call('GET', `/api/dead-letters?queue=${queue}&limit=500`);
    return list.json.deadLetters.find((letter: DeadLetterAnswer) => letter.messageId === envelope.id);
  }

  test("archives what the engine's worker dead-letters, with its error, attempts and time, and acks it", async () => {
    const worker = createQueueWorker({
      queue: 'crawl.repo',
      handler: async () => {
        throw new Error('GitHub answered 500');
      },
      database: api.database,
      broker: api.broker,
      relay: api.relay,
      logger: testLogger(),
      prefetch: 1,
      maxAttempts: 1,
      retryDelaysMs,
    });
    await worker.start();
    const envelope = createEnvelope('crawl.repo', { host: 'github.com', owner: 'acme', name: 'widgets' });
    await api.broker.publish('crawl.repo', envelope);
    await waitFor(async () => (await rowsOf(envelope.id)).length === 1, { what: 'the dead letter archived' });
    await worker.stop(1_000);

    const list = await api.call('GET', '/api/dead-letters');
    assert.equal(list.status, 200);
    const letter = list.json.deadLetters.find((entry: DeadLetterAnswer) => entry.messageId === envelope.id);
    assert.deepEqual(
      { ...letter, id: undefined, failedAt: undefined, archivedAt: undefined },
      {
        id: undefined,
        queue: 'crawl.repo',
        messageId: envelope.id,
        type: 'crawl.repo',
        attempts: 1,
        error: 'Error: GitHub answered 500',
        failedAt: undefined,
        archivedAt: undefined,
        replayable: true,
        payload: { host: 'github.com', owner: 'acme', name: 'widgets' },
      },
    );
    assert.ok(Math.abs(Date.parse(letter.failedAt) - Date.now()) < 60_000);
    assert.equal(await queueDepth(api.broker.names.deadQueue('crawl.repo')), 0, 'acked once stored');
  });

  test('keeps a body that is no envelope as text, which can be deleted but not replayed', async () => {
    const channel = await api.broker.openChannel();
    channel.publish(api.broker.names.deadExchange, 'ingest.events', Buffer.from('not json at all'), {
      messageId: 'unreadable-1',
      headers: { 'x-error': 'InvalidEnvelopeError: message body is not JSON', 'x-attempts': 1 },
    });
    await channel.close();
    await waitFor(async () => (await rowsOf('unreadable-1')).length === 1, { what: 'the unreadable letter' });
    const letter = (await api.call('GET', '/api/dead-letters?queue=ingest.events')).json
      .deadLetters[0] as DeadLetterAnswer;
    assert.deepEqual(
      [letter.messageId, letter.replayable, letter.payload, letter.attempts, letter.type],
      ['unreadable-1', false, 'not json at all', 1, null],
    );
    const replay = await api.call('POST', `/api/dead-letters/${letter.id}/replay`);
    assert.equal(replay.status, 409);
    assert.equal((await rowsOf('unreadable-1')).length, 1, 'still there to read');
    assert.equal((await api.call('DELETE', `/api/dead-letters/${letter.id}`)).status, 204);
    assert.equal((await rowsOf('unreadable-1')).length, 0);
    assert.equal((await api.call('DELETE', `/api/dead-letters/${letter.id}`)).status, 404);
  });

  test('stores a redelivered dead letter once', async () => {
    const envelope = createEnvelope('ingest.events', { n: 1 });
    for (let copy = 0; copy < 2; copy++) {
      await api.broker.publish('ingest.events', envelope, {
        exchange: 'dead',
        headers: { 'x-error': 'boom' },
      });
    }
    await waitFor(async () => (await queueDepth(api.broker.names.deadQueue('ingest.events'))) === 0, {
      what: 'both copies taken',
    });
    await waitFor(async () => (await rowsOf(envelope.id)).length === 1);
    const { rows } = await api.database.query(
      `SELECT count(*)::int AS n FROM dead_letters WHERE message_id = $1`,
      [envelope.id],
    );
    assert.equal(rows[0]!.n, 1);
  });

  test('replays a letter to its queue through the outbox with a fresh attempt count, and deletes it', async () => {
    await drainQueue(api.broker.names.queue('metrics.compute'));
    const letter = await deadLetter('metrics.compute', { repositoryId: '7' });
    const answer = await api.call('POST', `/api/dead-letters/${letter.id}/replay`);
    assert.equal(answer.status, 202);
    assert.deepEqual(answer.json, { id: letter.id, replayedAs: letter.messageId });
    assert.equal((await rowsOf(letter.messageId)).length, 0);
    const messages = await waitFor(
      async () => {
        const drained = await drainQueue(api.broker.names.queue('metrics.compute'));
        return drained.length > 0 && drained;
      },
      { what: 'the replayed message' },
    );
    const replayed = messages[0]!.json as Envelope;
    assert.deepEqual(
      [replayed.id, replayed.type, replayed.attempt, replayed.payload],
      [letter.messageId, 'metrics.compute', 1, { repositoryId: '7' }],
    );
    const { rows } = await api.database.query(
      `SELECT target, details FROM audit_log WHERE action = 'dead-letter.replay'`,
    );
    assert.equal(rows[0]!.target, `dead-letter:${letter.id}`);
    assert.equal((await api.call('POST', `/api/dead-letters/${letter.id}/replay`)).status, 404, 'gone');
  });

  test('replays and deletes many at once, skipping ids that are gone or not replayable', async () => {
    await drainQueue(api.broker.names.queue('crawl.org'));
    const first = await deadLetter('crawl.org', { login: 'a' });
    const second = await deadLetter('crawl.org', { login: 'b' });
    const third = await deadLetter('crawl.org', { login: 'c' });
    const replayed = await api.call('POST', '/api/dead-letters/replay', {
      ids: [first.id, second.id, '999999'],
    });
    assert.equal(replayed.status, 202);
    assert.deepEqual(replayed.json, { replayed: 2 });
    await waitFor(
      async () => {
        const drained = await drainQueue(api.broker.names.queue('crawl.org'));
        return drained.length === 2;
      },
      { what: 'two replayed messages' },
    );
    const deleted = await api.call('POST', '/api/dead-letters/delete', { ids: [third.id, first.id] });
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.json, { deleted: 1 });
    const list = await api.call('GET', '/api/dead-letters?queue=crawl.org');
    assert.deepEqual([list.json.deadLetters, list.json.total], [[], 0]);
  });

  test('lists newest first, filtered by queue, a page at a time, with the total', async () => {
    const letters = [];
    for (let index = 0; index < 3; index++)
      letters.unshift(await deadLetter('ingest.github-webhook', { index }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Answer = await api.call(
        'GET',
        `/api/dead-letters?queue=ingest.github-webhook&limit=2${cursor ? `&before=${cursor}` : ''}`,
      );
      assert.equal(page.json.total, 3);
      seen.push(...page.json.deadLetters.map((letter: DeadLetterAnswer) => letter.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    assert.deepEqual(
      seen,
      letters.map((letter) => letter.id),
    );
    assert.equal(letters[0]!.error, 'Error: it broke');
    assert.equal(letters[0]!.attempts, 5);
    assert.equal(letters[0]!.failedAt, '2026-11-02T10:00:00.000Z');
    for (const query of ['queue=nope', 'limit=0', 'before=zzz']) {
      assert.equal(violationPaths(await api.call('GET', `/api/dead-letters?${query}`)).length, 1, query);
    }
  });

  test('refuses bodies and ids it cannot use', async () => {
    for (const path of ['/api/dead-letters/replay', '/api/dead-letters/delete']) {
      await assertRefusesBadBodies(api, 'POST', path);
      assert.deepEqual(violationPaths(await api.call('POST', path, {})), ['/ids']);
      assert.deepEqual(violationPaths(await api.call('POST', path, { ids: [] })), ['/ids']);
      assert.deepEqual(violationPaths(await api.call('POST', path, { ids: ['1', 'x'] })), ['/ids/1']);
    }
    for (const [method, path] of [
      ['POST', '/api/dead-letters/999999/replay'],
      ['DELETE', '/api/dead-letters/999999'],
      ['POST', '/api/dead-letters/abc/replay'],
      ['DELETE', '/api/dead-letters/abc'],
    ] as const) {
      assert.equal((await api.call(method, path)).status, 404, `${method} ${path}`);
    }
  });

  test('is closed to callers who are not admins', async () => {
    const letter = await deadLetter('crawl.repo', { closed: true });
    await assertAdminsOnly(api, 'GET', '/api/dead-letters');
    await assertAdminsOnly(api, 'POST', `/api/dead-letters/${letter.id}/replay`);
    await assertAdminsOnly(api, 'DELETE', `/api/dead-letters/${letter.id}`);
    await assertAdminsOnly(api, 'POST', '/api/dead-letters/replay', { ids: [letter.id] });
    await assertAdminsOnly(api, 'POST', '/api/dead-letters/delete', { ids: [letter.id] });
    assert.equal((await rowsOf(letter.messageId)).length, 1, 'nothing was changed');
  });

  test('stops taking dead letters once stopped, and stopping twice is safe', async () => {
    await Promise.all([archiver.stop(1_000), archiver.stop(1_000)]);
    const envelope = createEnvelope('crawl.org', { after: 'stop' });
    await api.broker.publish('crawl.org', envelope, { exchange: 'dead' });
    await waitFor(async () => (await queueDepth(api.broker.names.deadQueue('crawl.org'))) === 1, {
      what: 'the letter waiting in its queue',
    });
    assert.equal((await rowsOf(envelope.id)).length, 0);
  });
});
