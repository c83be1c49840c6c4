import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertAdminsOnly,
  assertRefusesBadBodies,
  startAdminApi,
  violationPaths,
  type AdminApi,
} from './admin-api-harness.js';

interface RuleAnswer {
  id: string;
  priority: number;
  methods: string[];
  pathPattern: string;
  roles: string[];
  rateLimitPerMinute: number | null;
  rateLimitBurst: number | null;
  description: string;
}

describe('admin API: ACL rules (real PostgreSQL, HTTP)', () => {
  let api: AdminApi;

  before(async () => {
    api = await startAdminApi();
  });

  after(async () => {
    await api.close();
  });

  const rules = async () => (await api.call('GET', '/api/acl-rules')).json.aclRules as RuleAnswer[];
  const ruleAt = async (pattern: string) => (await rules()).find((rule) => rule.pathPattern === pattern)!;

  test('lists the rules in the order the proxy tries them, the installed ones included', async () => {
    const list = await rules();
    assert.deepEqual(
      list.map((rule) => rule.priority),
      [...list.map((rule) => rule.priority)].sort((a, b) => a - b),
    );
    const adminApi = list.find((rule) => rule.pathPattern === '/admin/api/*')!;
    assert.deepEqual([adminApi.methods, adminApi.roles], [['*'], ['admin']]);
  });

  test('adds, edits and deletes a rule, each change in the audit log', async () => {
    const created = await api.call('POST', '/api/acl-rules', {
      priority: 55,
      methods: ['GET', 'HEAD'],
      pathPattern: '/api/v1/trends',
      roles: ['anyone'],
      rateLimitPerMinute: 60,
      rateLimitBurst: 10,
      description: 'trends are public',
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const { id } = created.json;
    assert.equal(created.headers.get('location'), `/api/acl-rules/${id}`);
    assert.deepEqual((await rules()).find((rule) => rule.id === id)?.roles, ['anyone']);

    const edited = await api.call('PATCH', `/api/acl-rules/${id}`, {
      roles: ['authenticated'],
      rateLimitPerMinute: null,
      rateLimitBurst: null,
    });
    assert.equal(edited.status, 200);
    assert.deepEqual(
      [edited.json.roles, edited.json.rateLimitPerMinute, edited.json.pathPattern, edited.json.priority],
      [['authenticated'], null, '/api/v1/trends', 55],
    );
    assert.equal((await api.call('DELETE', `/api/acl-rules/${id}`)).status, 204);
    assert.equal((await api.call('DELETE', `/api/acl-rules/${id}`)).status, 404);
    assert.equal((await api.call('PATCH', `/api/acl-rules/${id}`, { priority: 1 })).status, 404);
    const { rows } = await api.database.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE target = $1 ORDER BY id`,
      [`acl-rule:${id}`],
    );
    assert.deepEqual(
      rows.map((row) => row.action),
      ['acl-rule.create', 'acl-rule.update', 'acl-rule.delete'],
    );
  });

  test('refuses a priority another rule has', async () => {
    const answer = await api.call('POST', '/api/acl-rules', {
      priority: 10,
      methods: ['GET'],
      pathPattern: '/x',
      roles: ['admin'],
    });
    assert.equal(answer.status, 409);
    assert.match(answer.json.detail, /priority 10/);
  });

  test('refuses a change that would shut admins out of the admin API', async () => {
    const adminRule = await ruleAt('/admin/api/*');
    for (const change of [{ roles: ['analyst'] }, { methods: ['GET'] }, { pathPattern: '/admin/apx/*' }]) {
      const answer = await api.call('PATCH', `/api/acl-rules/${adminRule.id}`, change);
      assert.equal(answer.status, 409, JSON.stringify(change));
      assert.match(answer.json.detail, /admins could no longer/);
    }
    assert.equal((await api.call('DELETE', `/api/acl-rules/${adminRule.id}`)).status, 409);
    const blocker = await api.call('POST', '/api/acl-rules', {
      priority: 1,
      methods: ['*'],
      pathPattern: '/*',
      roles: ['supplier'],
    });
    assert.equal(blocker.status, 409, 'a rule in front that admits no admin');
    assert.deepEqual(await ruleAt('/admin/api/*'), adminRule, 'unchanged');
  });

  test('refuses fields it cannot use, naming each', async () => {
    const valid = { priority: 500, methods: ['GET'], pathPattern: '/ok', roles: ['admin'] };
    const cases: Array<[unknown, string[]]> = [
      [{ ...valid, priority: 'first' }, ['/priority']],
      [{ ...valid, methods: [] }, ['/methods']],
      [{ ...valid, methods: ['FETCH'] }, ['/methods/0']],
      [{ ...valid, roles: ['everyone'] }, ['/roles/0']],
      [{ ...valid, pathPattern: 'no-slash' }, ['/pathPattern']],
      [{ ...valid, pathPattern: '/a/*/b' }, ['/pathPattern']],
      [{ ...valid, pathPattern: '/a?b=1' }, ['/pathPattern']],
      [{ ...valid, rateLimitPerMinute: 10 }, ['/rateLimitBurst']],
      [{ ...valid, rateLimitBurst: 0, rateLimitPerMinute: 5 }, ['/rateLimitBurst']],
      [{ ...valid, extra: true }, ['/extra']],
      [{ methods: ['GET'] }, ['/pathPattern', '/priority', '/roles']],
    ];
    for (const [body, paths] of cases) {
      assert.deepEqual(
        violationPaths(await api.call('POST', '/api/acl-rules', body)),
        paths,
        JSON.stringify(body),
      );
    }
    const some = (await rules())[0]!;
    assert.deepEqual(violationPaths(await api.call('PATCH', `/api/acl-rules/${some.id}`, {})), ['']);
    await assertRefusesBadBodies(api, 'POST', '/api/acl-rules');
    await assertRefusesBadBodies(api, 'PATCH', `/api/acl-rules/${some.id}`);
  });

  test('is closed to callers who are not admins', async () => {
    const some = await ruleAt('/auth/me');
    await assertAdminsOnly(api, 'GET', '/api/acl-rules');
    await assertAdminsOnly(api, 'POST', '/api/acl-rules', {
      priority: 2,
      methods: ['*'],
      pathPattern: '/*',
      roles: ['anyone'],
    });
    await assertAdminsOnly(api, 'PATCH', `/api/acl-rules/${some.id}`, { roles: ['anyone'] });
    await assertAdminsOnly(api, 'DELETE', `/api/acl-rules/${some.id}`);
    assert.deepEqual(await ruleAt('/auth/me'), some, 'nothing was changed');
    assert.equal(
      (await rules()).find((rule) => rule.priority === 2),
      undefined,
    );
  });
});
