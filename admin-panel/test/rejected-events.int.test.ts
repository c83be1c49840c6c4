import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { toStorableText } from '@repopulse/core';
import {
  assertAdminsOnly,
  assertRefusesBadBodies,
  startAdminApi,
  violationPaths,
  type AdminApi,
  type Answer,
} from './admin-api-harness.js';

interface RejectedEventAnswer {
  id: string;
  queue: string;
  messageId: string;
  source: string | null;
  eventId: string | null;
  eventType: string | null;
  position: number | null;
  reason: string;
  errors: Array<{ path: string; message: string }>;
  sqlstate: string | null;
  rejectedAt: string;
  event: unknown;
}

describe('rejected events: what the engine set aside of a batch, listed and deleted (real PostgreSQL)', () => {
  let api: AdminApi;

  before(async () => {
    api = await startAdminApi();
  });

  after(async () => {
    await api.close();
  });

  /** A row as the engine writes it (integration-engine/src/rejected-events/record-rejected-events.ts). */
  async function rejected(row: {
    queue?: string;
    source?: string | null;
    event: unknown;
    position?: number | null;
    reason?: string;
    errors?: unknown[];
    sqlstate?: string | null;
  }): Promise<string> {
    const { rows } = await api.database.query<{ id: string }>(
      `INSERT INTO rejected_events (queue, message_id, source, event_id, event_type, position, event, reason, errors,
         sqlstate)
       VALUES ($1, 'message-1', $2, $3, $4, $5, $6, $7, $8::jsonb, $9) RETURNING id::text`,
      [
        row.queue ?? 'ingest.events',
        row.source === undefined ? 'gitea-import' : row.source,
        // The engine writes ids as text PostgreSQL can hold (U+FFFD for U+0000), the event as JSON text.
        toStorableText((row.event as { id?: string }).id ?? '') || null,
        (row.event as { type?: string }).type ?? null,
        row.position === undefined ? 3 : row.position,
        JSON.stringify(row.event),
        row.reason ?? 'its schema refuses it: /events/3/data/additions must be <= 2147483647',
        JSON.stringify(row.errors ?? []),
        row.sqlstate ?? null,
      ],
    );
    return rows[0]!.id;
  }

  const list = async (query = ''): Promise<Answer> => api.call('GET', `/api/rejected-events${query}`);

  test('lists a rejected event with its reason, its place in the batch and the event exactly as it came', async () => {
    const event = {
      id: 'evt\u0000nul',
      type: 'commit',
      action: 'pushed',
      data: { sha: 'a'.repeat(40), message: 'fix\u0000 \ud800', additions: 2_147_483_648 },
    };
    const errors = [{ path: '/events/3/data/additions', message: 'must be <= 2147483647' }];
    const id = await rejected({ event, errors });
    const answer = await list('?queue=ingest.events');
    assert.equal(answer.status, 200);
    assert.equal(answer.json.total, 1);
    const [shown] = answer.json.rejectedEvents as RejectedEventAnswer[];
    assert.deepEqual(
      { ...shown, rejectedAt: undefined },
      {
        id,
        queue: 'ingest.events',
        messageId: 'message-1',
        source: 'gitea-import',
        eventId: 'evt\uFFFDnul',
        eventType: 'commit',
        position: 3,
        reason: 'its schema refuses it: /events/3/data/additions must be <= 2147483647',
        errors,
        sqlstate: null,
        rejectedAt: undefined,
        event,
      },
    );
    assert.ok(Math.abs(Date.parse(shown!.rejectedAt) - Date.now()) < 60_000);
  });

  test('filters by queue and source, newest first, a page at a time', async () => {
    await api.database.query('TRUNCATE rejected_events');
    const ids: string[] = [];
    for (let index = 0; index < 3; index++)
      ids.unshift(await rejected({ queue: 'ingest.github-webhook', source: 'github', event: { index } }));
    await rejected({ event: { other: true } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Answer = await list(
        `?queue=ingest.github-webhook&limit=2${cursor ? `&before=${cursor}` : ''}`,
      );
      assert.equal(page.json.total, 3);
      seen.push(...(page.json.rejectedEvents as RejectedEventAnswer[]).map((item) => item.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ids);
    assert.equal((await list('?source=gitea-import')).json.total, 1);
    for (const query of ['?queue=crawl.repo', '?limit=0', '?before=zzz'])
      assert.equal(violationPaths(await list(query)).length, 1, query);
  });

  test('deletes one or many, in the audit log, and says 404 for one that is gone', async () => {
    await api.database.query('TRUNCATE rejected_events');
    const first = await rejected({ event: { id: 'a' } });
    const second = await rejected({ event: { id: 'b' } });
    const third = await rejected({ event: { id: 'c' } });
    assert.equal((await api.call('DELETE', `/api/rejected-events/${first}`)).status, 204);
    assert.equal((await api.call('DELETE', `/api/rejected-events/${first}`)).status, 404);
    const many = await api.call('POST', '/api/rejected-events/delete', { ids: [second, third, '999999'] });
    assert.deepEqual([many.status, many.json], [200, { deleted: 2 }]);
    assert.equal((await list()).json.total, 0);
    const { rows } = await api.database.query<{ target: string }>(
      `SELECT target FROM audit_log WHERE action = 'rejected-event.delete' ORDER BY id`,
    );
    assert.deepEqual(
      rows.map((row) => row.target),
      [`rejected-event:${first}`, 'rejected-events'],
    );
  });

  test('refuses bodies and ids it cannot use, and is closed to callers who are not admins', async () => {
    await assertRefusesBadBodies(api, 'POST', '/api/rejected-events/delete');
    assert.deepEqual(violationPaths(await api.call('POST', '/api/rejected-events/delete', {})), ['/ids']);
    assert.equal((await api.call('DELETE', '/api/rejected-events/abc')).status, 404);
    const id = await rejected({ event: { closed: true } });
    await assertAdminsOnly(api, 'GET', '/api/rejected-events');
    await assertAdminsOnly(api, 'DELETE', `/api/rejected-events/${id}`);
    await assertAdminsOnly(api, 'POST', '/api/rejected-events/delete', { ids: [id] });
    assert.equal((await list()).json.total, 1, 'nothing was changed');
  });
});
