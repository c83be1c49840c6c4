import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { drainQueue, waitFor, type InspectedMessage } from '@repopulse/core/testing';
import {
  assertAdminsOnly,
  assertRefusesBadBodies,
  startAdminApi,
  violationPaths,
  type AdminApi,
} from './admin-api-harness.js';

describe('admin API: crawl runs (real PostgreSQL and RabbitMQ, HTTP)', () => {
  let api: AdminApi;

  before(async () => {
    api = await startAdminApi();
    api.relay.start();
  });

  after(async () => {
    await api.close();
  });

  async function addSource(kind: string, target: string): Promise<string> {
    return (await api.call('POST', '/api/sources', { kind, target })).json.id;
  }

  async function finishRuns(sourceId: string, status = 'done'): Promise<void> {
    await api.database.query(
      `UPDATE crawl_runs SET status = $2, started_at = created_at, finished_at = created_at + interval '90 seconds'
        WHERE source_id = $1 AND status IN ('queued', 'running')`,
      [sourceId, status],
    );
  }

  async function messagesOf(queue: string, count: number): Promise<InspectedMessage[]> {
    const received: InspectedMessage[] = [];
    await waitFor(
      async () => {
        received.push(...(await drainQueue(api.broker.names.queue(queue))));
        return received.length >= count;
      },
      { what: `${count} message(s) on ${queue}` },
    );
    return received;
  }

  test('triggers a crawl of a repository: a queued run, and its message sent through the outbox', async () => {
    const sourceId = await addSource('github-repo', 'acme/widgets');
    const answer = await api.call('POST', '/api/crawl-runs', { sourceId });
    assert.equal(answer.status, 201, JSON.stringify(answer.json));
    const run = answer.json;
    assert.equal(answer.headers.get('location'), `/api/crawl-runs/${run.id}`);
    assert.deepEqual(
      { ...run, id: undefined, createdAt: undefined },
      {
        id: undefined,
        sourceId,
        kind: 'github-repo',
        target: 'acme/widgets',
        trigger: 'admin',
        requestedBy: 'admin',
        status: 'queued',
        done: 0,
        failed: 0,
        total: 1,
        apiCost: 0,
        error: null,
        errors: [],
        createdAt: undefined,
        startedAt: null,
        finishedAt: null,
        durationMs: null,
      },
    );
    const [message] = await messagesOf('crawl.repo', 1);
    const envelope = message!.json as { type: string; payload: Record<string, unknown> };
    assert.equal(envelope.type, 'crawl.repo');
    assert.deepEqual(
      [envelope.payload.crawlRunId, envelope.payload.owner, envelope.payload.name, envelope.payload.sourceId],
      [run.id, 'acme', 'widgets', sourceId],
    );
    assert.deepEqual((await api.call('GET', `/api/crawl-runs/${run.id}`)).json.id, run.id);
    const { rows } = await api.database.query(
      `SELECT actor_name, target, details FROM audit_log WHERE action = 'crawl-run.trigger'`,
    );
    assert.deepEqual(rows[0], {
      actor_name: 'admin',
      target: `crawl-run:${run.id}`,
      details: { sourceId, kind: 'github-repo', target: 'acme/widgets' },
    });
  });

  test('crawls an organisation through crawl.org, its total unknown until the engine lists it', async () => {
    const sourceId = await addSource('github-org', 'acme-org');
    const run = (await api.call('POST', '/api/crawl-runs', { sourceId: Number(sourceId) })).json;
    assert.deepEqual([run.kind, run.total, run.status], ['github-org', null, 'queued']);
    const [message] = await messagesOf('crawl.org', 1);
    assert.equal((message!.json as { payload: { login: string } }).payload.login, 'acme-org');
  });

  test('refuses a second crawl while one of the source is queued or running, naming it', async () => {
    const sourceId = await addSource('github-repo', 'acme/busy');
    const first = (await api.call('POST', '/api/crawl-runs', { sourceId })).json;
    const second = await api.call('POST', '/api/crawl-runs', { sourceId });
    assert.equal(second.status, 409);
    assert.equal(second.json.crawlRunId, first.id);
    assert.match(second.json.detail, new RegExp(`${first.id} is still queued`));
    await api.database.query(`UPDATE crawl_runs SET status = 'running' WHERE id = $1`, [first.id]);
    assert.equal((await api.call('POST', '/api/crawl-runs', { sourceId })).status, 409);
    await finishRuns(sourceId);
    const third = await api.call('POST', '/api/crawl-runs', { sourceId });
    assert.equal(third.status, 201, 'once the run is done, another may start');
    await messagesOf('crawl.repo', 2);
  });

  test('refuses an unknown source and every request that is not one, naming the field', async () => {
    assert.deepEqual(violationPaths(await api.call('POST', '/api/crawl-runs', { sourceId: '424242' })), [
      '/sourceId',
    ]);
    for (const body of [{}, { sourceId: 'abc' }, { sourceId: 0 }, { sourceId: null }]) {
      assert.ok(violationPaths(await api.call('POST', '/api/crawl-runs', body)).includes('/sourceId'));
    }
    assert.deepEqual(
      violationPaths(await api.call('POST', '/api/crawl-runs', { sourceId: '1', now: true })),
      ['/now'],
    );
    await assertRefusesBadBodies(api, 'POST', '/api/crawl-runs');
    const { rows } = await api.database.query(`SELECT 1 FROM crawl_runs WHERE source_id = 424242`);
    assert.equal(rows.length, 0);
  });

  test('answers 404 for a run that does not exist', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'nope', 'x'.repeat(300)]) {
      const answer = await api.call('GET', `/api/crawl-runs/${id}`);
      assert.equal(answer.status, 404, id);
    }
  });

  test('lists runs newest first, filtered by status and source, a page at a time', async () => {
    const sourceId = await addSource('github-repo', 'acme/paged');
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      ids.unshift((await api.call('POST', '/api/crawl-runs', { sourceId })).json.id);
      await finishRuns(sourceId, index === 2 ? 'failed' : 'done');
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/crawl-runs?sourceId=${sourceId}&limit=2${cursor ? `&before=${cursor}` : ''}`;
      const page = await api.call('GET', query);
      assert.equal(page.status, 200);
      assert.ok(page.json.crawlRuns.length <= 2);
      seen.push(...page.json.crawlRuns.map((run: { id: string }) => run.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ids);

    const failed = await api.call('GET', `/api/crawl-runs?status=failed&sourceId=${sourceId}`);
    assert.deepEqual(
      failed.json.crawlRuns.map((run: { id: string }) => run.id),
      [ids[2]],
    );
    assert.equal(failed.json.crawlRuns[0].durationMs, 90_000);
    assert.equal(failed.json.nextCursor, null);
    const all = await api.call('GET', '/api/crawl-runs');
    assert.ok(all.json.crawlRuns.length >= 5);
  });

  test('refuses list parameters it cannot use, naming each', async () => {
    for (const [query, paths] of [
      ['limit=0', ['/limit']],
      ['limit=501', ['/limit']],
      ['limit=ten', ['/limit']],
      ['status=finished', ['/status']],
      ['sourceId=x', ['/sourceId']],
      ['before=not-a-cursor', ['/before']],
      ['limit=1&limit=2', ['/limit']],
      ['status=done&limit=-1&sourceId=0', ['/limit', '/sourceId']],
    ] as const) {
      assert.deepEqual(violationPaths(await api.call('GET', `/api/crawl-runs?${query}`)), paths, query);
    }
  });

  test('is closed to callers who are not admins', async () => {
    const sourceId = await addSource('github-repo', 'acme/closed');
    await assertAdminsOnly(api, 'GET', '/api/crawl-runs');
    await assertAdminsOnly(api, 'GET', '/api/crawl-runs/00000000-0000-0000-0000-000000000000');
    await assertAdminsOnly(api, 'POST', '/api/crawl-runs', { sourceId });
    const { rows } = await api.database.query(`SELECT 1 FROM crawl_runs WHERE source_id = $1`, [sourceId]);
    assert.equal(rows.length, 0, 'nothing was started');
  });
});
