import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { admin, startAdminApi, type AdminApi } from './admin-api-harness.js';

interface SourceAnswer {
  id: string;
  kind: string;
  target: string;
  schedule: string | null;
  timezone: string;
  nextRuns: string[];
  enabled: boolean;
  webhookSecretSet: boolean;
}

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
}

describe('admin API: sources (real PostgreSQL, HTTP)', () => {
  let api: AdminApi;

  before(async () => {
    api = await startAdminApi();
  });

  after(async () => {
    await api.close();
  });

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = admin) =>
    api.call(method, path, body, headers);

  test('adds a source of each kind, with the next runs of its schedule in the cron time zone', async () => {
    const created = await call('POST', '/api/sources', {
      kind: 'github-org',
      target: 'microsoft',
      schedule: '0 9 * * MON-FRI',
    });
    assert.equal(created.status, 201);
    const source = created.json as SourceAnswer;
    assert.equal(created.headers.get('location'), `/api/sources/${source.id}`);
    assert.deepEqual(
      { ...source, id: undefined, nextRuns: undefined },
      {
        id: undefined,
        kind: 'github-org',
        target: 'microsoft',
        schedule: '0 9 * * MON-FRI',
        timezone: 'Europe/Prague',
        nextRuns: undefined,
        enabled: true,
        webhookSecretSet: false,
        createdAt: (source as unknown as { createdAt: string }).createdAt,
        updatedAt: (source as unknown as { updatedAt: string }).updatedAt,
      },
    );
    assert.equal(source.nextRuns.length, 5);
    for (const run of source.nextRuns) {
      const at = new Date(run);
      assert.ok(at > new Date());
      // 09:00 in Prague is 08:00 UTC in winter and 07:00 in summer, never at a weekend.
      assert.ok([7, 8].includes(at.getUTCHours()) && at.getUTCMinutes() === 0, run);
      assert.ok(![0, 6].includes(at.getUTCDay()), run);
    }
    for (const body of [
      { kind: 'github-user', target: 'torvalds' },
      { kind: 'github-repo', target: 'nodejs/node', enabled: false },
      { kind: 'git', target: 'https://git.kernel.org/pub/scm/git/git.git', schedule: '*/30 * * * * *' },
    ]) {
      const answer = await call('POST', '/api/sources', body);
      assert.equal(answer.status, 201, JSON.stringify(answer.json));
    }
    const list = (await call('GET', '/api/sources')).json as { sources: SourceAnswer[] };
    assert.deepEqual(
      list.sources.map((entry) => [
        entry.kind,
        entry.target,
        entry.schedule,
        entry.enabled,
        entry.nextRuns.length,
      ]),
      [
        ['github-org', 'microsoft', '0 9 * * MON-FRI', true, 5],
        ['github-user', 'torvalds', null, true, 0],
        ['github-repo', 'nodejs/node', null, false, 0],
        ['git', 'https://git.kernel.org/pub/scm/git/git.git', '*/30 * * * * *', true, 5],
      ],
    );
    const { rows } = await api.database.query(
      `SELECT actor_kind, actor_id, actor_name, action, target, outcome FROM audit_log WHERE action LIKE 'source.%' ORDER BY id`,
    );
    assert.equal(rows.length, 4);
    assert.deepEqual(rows[0], {
      actor_kind: 'user',
      actor_id: '1',
      actor_name: 'admin',
      action: 'source.create',
      target: `source:${source.id}`,
      outcome: 'success',
    });
  });

  test('refuses a schedule cron cannot run, naming the field and what is wrong', async () => {
    for (const [schedule, message] of [
      ['every day at noon', /expected 5 or 6 fields/],
      ['61 * * * *', /^minute: 61 is a invalid expression/],
      ['0 0 30 2 *', /impossible day of month/],
      ['', /is empty/],
    ] as const) {
      const answer = await call('POST', '/api/sources', { kind: 'github-org', target: 'apple', schedule });
      assert.equal(answer.status, 422, schedule);
      assert.equal(answer.type, 'application/problem+json; charset=utf-8');
      const problem = answer.json as Problem;
      assert.equal(problem.errors?.length, 1);
      assert.equal(problem.errors![0]!.path, '/schedule');
      assert.match(problem.errors![0]!.message, message);
    }
    const created = (await call('POST', '/api/sources', { kind: 'github-org', target: 'apple' }))
      .json as SourceAnswer;
    const patched = await call('PATCH', `/api/sources/${created.id}`, { schedule: '* * * * * * *' });
    assert.equal(patched.status, 422);
    assert.equal((patched.json as Problem).errors![0]!.path, '/schedule');
    assert.equal(
      ((await call('GET', `/api/sources/${created.id}`)).json as SourceAnswer).schedule,
      null,
      'unchanged',
    );
  });

  test('refuses a target that does not suit its kind, and every field that is not one', async () => {
    const cases: Array<[unknown, string[]]> = [
      [{ kind: 'github-repo', target: 'just-a-name' }, ['/target']],
      [{ kind: 'github-org', target: 'not/a-login' }, ['/target']],
      [{ kind: 'github-user', target: '-leading-hyphen' }, ['/target']],
      [{ kind: 'git', target: 'not a url' }, ['/target']],
      [{ kind: 'gitlab-group', target: 'x' }, ['/kind']],
      [{ target: 'x' }, ['/kind']],
      [{ kind: 'github-org', target: 'x', color: 'red' }, ['/color']],
      [{ kind: 'github-org', target: 'x', enabled: 'yes' }, ['/enabled']],
      [{ kind: 'git', target: 'nope', schedule: 'nope' }, ['/target', '/schedule']],
    ];
    for (const [body, paths] of cases) {
      const answer = await call('POST', '/api/sources', body);
      assert.equal(answer.status, 422, JSON.stringify(body));
      assert.deepEqual(
        (answer.json as Problem).errors!.map((error) => error.path).sort(),
        [...paths].sort(),
        JSON.stringify(body),
      );
    }
  });

  test('answers malformed, oversized and non-JSON bodies with problem+json', async () => {
    const malformed = await call('POST', '/api/sources', '{"kind":');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.type, 'application/problem+json; charset=utf-8');
    const oversized = await call('POST', '/api/sources', { kind: 'git', target: 'x'.repeat(20_000) });
    assert.equal(oversized.status, 413);
    const text = await api.send('POST', '/api/sources', 'text/plain', 'kind=git');
    assert.equal(text.status, 415);
    const empty = await call('PATCH', '/api/sources/1', {});
    assert.equal(empty.status, 422);
  });

  test('edits, disables and deletes a source; an unknown one is 404; a duplicate is 409', async () => {
    const created = (
      await call('POST', '/api/sources', {
        kind: 'github-repo',
        target: 'tesla/roadster',
        schedule: '0 3 * * *',
      })
    ).json as SourceAnswer;
    const duplicate = await call('POST', '/api/sources', { kind: 'github-repo', target: 'Tesla/Roadster' });
    assert.equal(duplicate.status, 409);
    assert.match((duplicate.json as Problem).detail, /exists already/);

    const disabled = await call('PATCH', `/api/sources/${created.id}`, { enabled: false });
    assert.equal(disabled.status, 200);
    assert.deepEqual(
      [(disabled.json as SourceAnswer).enabled, (disabled.json as SourceAnswer).nextRuns],
      [false, []],
    );
    const rescheduled = (await call('PATCH', `/api/sources/${created.id}`, { enabled: true, schedule: null }))
      .json as SourceAnswer;
    assert.deepEqual([rescheduled.enabled, rescheduled.schedule], [true, null]);
    const other = (await call('POST', '/api/sources', { kind: 'github-repo', target: 'tesla/other' }))
      .json as SourceAnswer;
    assert.equal((await call('PATCH', `/api/sources/${other.id}`, { target: 'tesla/roadster' })).status, 409);

    assert.equal((await call('DELETE', `/api/sources/${created.id}`)).status, 204);
    for (const [method, body] of [['GET'], ['PATCH', { enabled: false }], ['DELETE']] as const) {
      const gone = await call(method, `/api/sources/${created.id}`, body);
      assert.equal(gone.status, 404, method);
      assert.equal(gone.type, 'application/problem+json; charset=utf-8');
    }
    assert.equal((await call('GET', '/api/sources/not-a-number')).status, 404);
    assert.equal((await call('GET', '/api/sources/99999999999999999999999')).status, 404);
  });

  test('is closed to callers who are not admins', async () => {
    const anonymous = await call('GET', '/api/sources', undefined, {});
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.type, 'application/problem+json; charset=utf-8');
    for (const roles of ['analyst', 'supplier', 'analyst,supplier', '']) {
      const headers = { 'x-user-id': 'user:9', 'x-user-roles': roles };
      assert.equal((await call('GET', '/api/sources', undefined, headers)).status, 403, roles);
      const post = await call('POST', '/api/sources', { kind: 'github-org', target: 'nvidia' }, headers);
      assert.equal(post.status, 403, roles);
    }
    const { rows } = await api.database.query(`SELECT 1 FROM sources WHERE target = 'nvidia'`);
    assert.equal(rows.length, 0, 'nothing was written');
  });
});
