import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordAudit } from '@repopulse/core';
import { assertAdminsOnly, startAdminApi, violationPaths, type AdminApi } from './admin-api-harness.js';

interface EntryAnswer {
  id: string;
  at: string;
  actorKind: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  target: string | null;
  outcome: string;
  details: Record<string, unknown>;
}

describe('admin API: audit log (real PostgreSQL, HTTP)', () => {
  let api: AdminApi;

  before(async () => {
    api = await startAdminApi();
    await recordAudit(api.database, [
      { actorKind: 'anonymous', action: 'login', outcome: 'failure', details: { username: 'mallory' } },
      { actorKind: 'user', actorId: '7', actorName: 'Ops', action: 'login', outcome: 'success' },
      { actorKind: 'api-key', actorId: '3', actorName: 'ci', action: 'request.denied', outcome: 'denied' },
    ]);
    await api.database.query(
      `INSERT INTO audit_log (occurred_at, actor_kind, action, outcome) VALUES ('2020-01-01T12:00:00Z', 'system', 'old.thing', 'success')`,
    );
    await api.call('POST', '/api/sources', { kind: 'github-org', target: 'audited' });
    const source = (await api.call('GET', '/api/sources')).json.sources[0];
    await api.call('PATCH', `/api/sources/${source.id}`, { enabled: false });
  });

  after(async () => {
    await api.close();
  });

  const entries = async (query = '') => {
    const answer = await api.call('GET', `/api/audit${query}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    return answer.json as { entries: EntryAnswer[]; nextCursor: string | null };
  };

  test("shows who changed what, newest first, the admin API's own changes included", async () => {
    const { entries: all, nextCursor } = await entries();
    assert.equal(nextCursor, null);
    assert.deepEqual(
      all.map((entry) => entry.action),
      ['source.update', 'source.create', 'old.thing', 'request.denied', 'login', 'login'],
    );
    const update = all[0]!;
    assert.deepEqual(
      [update.actorKind, update.actorId, update.actorName, update.outcome, update.details.enabled],
      ['user', '1', 'admin', 'success', false],
    );
    assert.match(update.target!, /^source:\d+$/);
    assert.ok(Math.abs(Date.parse(update.at) - Date.now()) < 60_000);
  });

  test('filters by actor, action (or its family), outcome and a half-open time range', async () => {
    const actions = async (query: string) => (await entries(query)).entries.map((entry) => entry.action);
    assert.deepEqual(await actions('?actor=user:7'), ['login']);
    assert.deepEqual(await actions('?actor=ops'), ['login'], 'a name, without regard to case');
    assert.deepEqual(await actions('?actor=api-key:3'), ['request.denied']);
    assert.deepEqual(await actions('?action=source'), ['source.update', 'source.create']);
    assert.deepEqual(await actions('?action=source.create'), ['source.create']);
    assert.deepEqual(await actions('?action=sour'), [], 'a family is a whole word');
    assert.deepEqual(await actions('?outcome=failure'), ['login']);
    assert.deepEqual(await actions('?to=2021-01-01'), ['old.thing']);
    assert.deepEqual(await actions('?from=2020-01-01T12:00:00Z&to=2020-01-01T12:00:01Z'), ['old.thing']);
    assert.deepEqual(await actions('?to=2020-01-01T12:00:00Z'), [], 'the end is exclusive');
    assert.equal((await actions('?from=2021-01-01')).length, 5);
  });

  test('pages through the log with a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { entries: EntryAnswer[]; nextCursor: string | null } = await entries(
        `?limit=4${cursor ? `&before=${cursor}` : ''}`,
      );
      assert.ok(page.entries.length <= 4);
      seen.push(...page.entries.map((entry) => entry.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(
      seen,
      (await entries()).entries.map((entry) => entry.id),
    );
  });

  test('refuses filters it cannot use, naming each', async () => {
    for (const [query, paths] of [
      ['outcome=maybe', ['/outcome']],
      ['from=yesterday', ['/from']],
      ['to=2026-13-45', ['/to']],
      ['limit=1000', ['/limit']],
      ['before=%%%', ['/before']],
      ['from=x&outcome=y', ['/from', '/outcome']],
    ] as const) {
      assert.deepEqual(violationPaths(await api.call('GET', `/api/audit?${query}`)), paths, query);
    }
  });

  test('is closed to callers who are not admins', async () => {
    await assertAdminsOnly(api, 'GET', '/api/audit');
  });
});
