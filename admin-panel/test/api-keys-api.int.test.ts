import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkApiKey } from '@repopulse/core';
import {
  admin,
  assertAdminsOnly,
  assertRefusesBadBodies,
  startAdminApi,
  violationPaths,
  type AdminApi,
} from './admin-api-harness.js';

describe('admin API: API keys (real PostgreSQL, HTTP)', () => {
  let api: AdminApi;
  let creator: Record<string, string>;

  before(async () => {
    api = await startAdminApi();
    const user = await api.call('POST', '/api/users', {
      username: 'keymaker',
      password: '12345678',
      roles: ['admin'],
    });
    creator = { ...admin, 'x-user-id': `user:${user.json.id}`, 'x-user-name': 'keymaker' };
  });

  after(async () => {
    await api.close();
  });

  test('makes a key shown once, which the proxy then accepts, and lists it by its prefix only', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const created = await api.call(
      'POST',
      '/api/api-keys',
      { name: 'ci supplier', role: 'supplier', expiresAt },
      creator,
    );
    assert.equal(created.status, 201);
    const { id, key, prefix } = created.json;
    assert.match(key, /^rp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    assert.ok(key.startsWith(`${prefix}_`));
    assert.equal(created.json.expiresAt, expiresAt);
    const check = await checkApiKey(api.database, key);
    assert.equal(check.status, 'valid');

    const list = await api.call('GET', '/api/api-keys');
    const listed = list.json.apiKeys.find((entry: { id: string }) => entry.id === id);
    assert.deepEqual(
      [listed.name, listed.role, listed.prefix, listed.expiresAt, listed.lastUsedAt, listed.revokedAt],
      ['ci supplier', 'supplier', prefix, expiresAt, null, null],
    );
    assert.ok(
      !JSON.stringify(list.json).includes(key.slice(prefix.length + 1)),
      'the secret is never listed',
    );
    const { rows } = await api.database.query(
      `SELECT api_keys.created_by::text AS "createdBy", audit_log.details FROM api_keys, audit_log
        WHERE api_keys.id = $1 AND audit_log.action = 'api-key.create'`,
      [id],
    );
    assert.equal(rows[0]!.createdBy, creator['x-user-id']!.slice('user:'.length));
    assert.ok(!JSON.stringify(rows).includes(key));
  });

  test('revokes a key, which the proxy then refuses; an unknown key is 404', async () => {
    const { id, key } = (await api.call('POST', '/api/api-keys', { name: 'temporary', role: 'analyst' }))
      .json;
    assert.equal((await api.call('DELETE', `/api/api-keys/${id}`)).status, 204);
    assert.equal((await checkApiKey(api.database, key)).status, 'invalid');
    const listed = (await api.call('GET', '/api/api-keys')).json.apiKeys.find(
      (entry: { id: string }) => entry.id === id,
    );
    assert.ok(listed.revokedAt, 'the row stays, revoked');
    assert.equal((await api.call('DELETE', '/api/api-keys/999999')).status, 404);
    assert.equal((await api.call('DELETE', '/api/api-keys/abc')).status, 404);
    const { rows } = await api.database.query(`SELECT target FROM audit_log WHERE action = 'api-key.revoke'`);
    assert.equal(rows[0]!.target, `api-key:${id}`);
  });

  test('refuses fields it cannot use, naming each', async () => {
    const cases: Array<[unknown, string[]]> = [
      [{ role: 'analyst' }, ['/name']],
      [{ name: '', role: 'analyst' }, ['/name']],
      [{ name: '   ', role: 'analyst' }, ['/name']],
      [{ name: 'x', role: 'root' }, ['/role']],
      [{ name: 'x', role: 'analyst', expiresAt: 'tomorrow' }, ['/expiresAt']],
      [{ name: 'x', role: 'analyst', expiresAt: '2001-01-01T00:00:00Z' }, ['/expiresAt']],
      [{ name: 'x', role: 'analyst', scopes: { maxLimit: 0 } }, ['/scopes/maxLimit']],
      [{ name: 'x', role: 'analyst', key: 'mine' }, ['/key']],
    ];
    for (const [body, paths] of cases) {
      assert.deepEqual(
        violationPaths(await api.call('POST', '/api/api-keys', body)),
        paths,
        JSON.stringify(body),
      );
    }
    await assertRefusesBadBodies(api, 'POST', '/api/api-keys');
  });

  test('is closed to callers who are not admins', async () => {
    const { id } = (await api.call('POST', '/api/api-keys', { name: 'guarded', role: 'analyst' })).json;
    await assertAdminsOnly(api, 'GET', '/api/api-keys');
    await assertAdminsOnly(api, 'POST', '/api/api-keys', { name: 'sneaky', role: 'admin' });
    await assertAdminsOnly(api, 'DELETE', `/api/api-keys/${id}`);
    const { rows } = await api.database.query(
      `SELECT 1 FROM api_keys WHERE name = 'sneaky' OR (id = $1 AND revoked_at IS NOT NULL)`,
      [id],
    );
    assert.equal(rows.length, 0, 'nothing was written');
  });
});
