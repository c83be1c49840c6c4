import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyPassword } from '@repopulse/core';
import {
  admin,
  assertAdminsOnly,
  assertRefusesBadBodies,
  startAdminApi,
  violationPaths,
  type AdminApi,
} from './admin-api-harness.js';

describe('admin API: users (real PostgreSQL, HTTP)', () => {
  let api: AdminApi;
  let selfId: string;
  let self: Record<string, string>;

  before(async () => {
    api = await startAdminApi();
    const created = await api.call('POST', '/api/users', {
      username: 'root-admin',
      password: 'correct horse',
      roles: ['admin'],
    });
    selfId = created.json.id;
    self = { ...admin, 'x-user-id': `user:${selfId}`, 'x-user-name': 'root-admin' };
  });

  after(async () => {
    await api.close();
  });

  async function passwordHashOf(id: string): Promise<string> {
    const { rows } = await api.database.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE id = $1',
      [id],
    );
    return rows[0]!.password_hash;
  }

  test('adds a user with a hashed password and lists users newest first, never with a hash', async () => {
    const created = await api.call('POST', '/api/users', {
      username: 'ana.lyst',
      password: 'long enough',
      roles: ['analyst'],
    });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), `/api/users/${created.json.id}`);
    assert.deepEqual(
      [created.json.username, created.json.roles, created.json.disabled],
      ['ana.lyst', ['analyst'], false],
    );
    assert.ok((await verifyPassword(await passwordHashOf(created.json.id), 'long enough')).valid);
    const list = await api.call('GET', '/api/users');
    assert.equal(list.json.users[0].username, 'ana.lyst');
    assert.ok(!JSON.stringify(list.json).includes('argon2'));
    assert.deepEqual(Object.keys(list.json.users[0]).sort(), [
      'createdAt',
      'disabled',
      'id',
      'loginThrottle',
      'roles',
      'scopes',
      'updatedAt',
      'username',
    ]);
    const { rows } = await api.database.query(`SELECT details FROM audit_log WHERE action = 'user.create'`);
    assert.deepEqual(rows.at(-1), { details: { username: 'ana.lyst', roles: ['analyst'] } });
  });

  test('changes roles, password and disabled; the audit log says the password changed, never what to', async () => {
    const { id } = (
      await api.call('POST', '/api/users', {
        username: 'sup',
        password: 'first password',
        roles: ['supplier'],
      })
    ).json;
    const changed = await api.call('PATCH', `/api/users/${id}`, {
      roles: ['supplier', 'analyst'],
      password: 'second password',
      disabled: true,
    });
    assert.equal(changed.status, 200);
    assert.deepEqual([changed.json.roles, changed.json.disabled], [['supplier', 'analyst'], true]);
    assert.ok((await verifyPassword(await passwordHashOf(id), 'second password')).valid);
    const { rows } = await api.database.query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_log WHERE action = 'user.update' ORDER BY id DESC LIMIT 1`,
    );
    assert.equal(rows[0]!.details.passwordChanged, true);
    assert.ok(!JSON.stringify(rows[0]).includes('second password'));
  });

  test('ends a user’s sessions on a new password or a disable, and on “sign out everywhere”, which is audited', async () => {
    const { id } = (
      await api.call('POST', '/api/users', {
        username: 'roamer',
        password: 'first password',
        roles: ['analyst'],
      })
    ).json;
    const versionOf = async () =>
      (await api.database.query<{ v: number }>('SELECT token_version AS v FROM users WHERE id = $1', [id]))
        .rows[0]!.v;
    assert.equal(await versionOf(), 0);
    await api.call('PATCH', `/api/users/${id}`, { roles: ['analyst', 'supplier'], scopes: { maxLimit: 9 } });
    assert.equal(await versionOf(), 0, 'roles and scopes are read from the row: no need to sign out');
    await api.call('PATCH', `/api/users/${id}`, { password: 'second password' });
    assert.equal(await versionOf(), 1);
    await api.call('PATCH', `/api/users/${id}`, { disabled: true });
    await api.call('PATCH', `/api/users/${id}`, { disabled: true });
    assert.equal(await versionOf(), 2, 'disabling a disabled user changes nothing');
    await api.call('PATCH', `/api/users/${id}`, { disabled: false });
    assert.equal(await versionOf(), 2);

    const signedOut = await api.call('POST', `/api/users/${id}/sign-out`);
    assert.equal(signedOut.status, 204);
    assert.equal(await versionOf(), 3);
    const { rows } = await api.database.query(
      `SELECT actor_id, target, details FROM audit_log WHERE action = 'user.sign-out'`,
    );
    assert.deepEqual(rows, [{ actor_id: '1', target: `user:${id}`, details: { username: 'roamer' } }]);
    assert.equal((await api.call('POST', `/api/users/${selfId}/sign-out`, undefined, self)).status, 204);
    assert.equal((await api.call('POST', '/api/users/999999/sign-out')).status, 404);
    assert.equal((await api.call('POST', '/api/users/abc/sign-out')).status, 404);
    await assertAdminsOnly(api, 'POST', `/api/users/${id}/sign-out`);
    assert.equal(await versionOf(), 3);
  });

  test('shows admins that logins of a user were refused for password guessing, for a day', async () => {
    const { id } = (
      await api.call('POST', '/api/users', { username: 'Guessed.At', password: 'a password', roles: [] })
    ).json;
    // As the permission proxy writes it: the lower-cased username, known or not.
    await api.database.query(
      `INSERT INTO login_throttles (subject, started_at, until, refused)
       VALUES ('user:guessed.at', now() - interval '2 minutes', now() - interval '1 minute', 571),
              ('user:long-ago', now() - interval '3 days', now() - interval '3 days', 5)`,
    );
    const list = await api.call('GET', '/api/users');
    const shown = list.json.users.find((user: { id: string }) => user.id === id);
    assert.equal(shown.loginThrottle.refusedAttempts, 571);
    assert.ok(new Date(shown.loginThrottle.until) < new Date());
    assert.ok(new Date(shown.loginThrottle.since) < new Date(shown.loginThrottle.until));
    const others = list.json.users.filter((user: { id: string }) => user.id !== id);
    assert.ok(others.every((user: { loginThrottle: unknown }) => user.loginThrottle === null));
  });

  test('deletes a user; an unknown one is 404, a taken name 409', async () => {
    const { id } = (
      await api.call('POST', '/api/users', { username: 'Temp', password: '12345678', roles: [] })
    ).json;
    const duplicate = await api.call('POST', '/api/users', {
      username: 'temp',
      password: '12345678',
      roles: [],
    });
    assert.equal(duplicate.status, 409);
    assert.equal((await api.call('DELETE', `/api/users/${id}`)).status, 204);
    assert.equal((await api.call('DELETE', `/api/users/${id}`)).status, 404);
    assert.equal((await api.call('PATCH', `/api/users/${id}`, { disabled: true })).status, 404);
    assert.equal((await api.call('PATCH', '/api/users/abc', { disabled: true })).status, 404);
  });

  test('does not let an admin delete, demote or disable themselves', async () => {
    for (const [method, body] of [
      ['DELETE', undefined],
      ['PATCH', { roles: ['analyst'] }],
      ['PATCH', { disabled: true }],
    ] as const) {
      const answer = await api.call(method, `/api/users/${selfId}`, body, self);
      assert.equal(answer.status, 409, `${method} ${JSON.stringify(body)}`);
      assert.match(answer.json.detail, /yourself/);
    }
    const password = await api.call('PATCH', `/api/users/${selfId}`, { password: 'a new secret' }, self);
    assert.equal(password.status, 200, 'a password of your own may change');
    const { rows } = await api.database.query(`SELECT roles, disabled FROM users WHERE id = $1`, [selfId]);
    assert.deepEqual(rows[0], { roles: ['admin'], disabled: false });
  });

  test('refuses fields it cannot use, naming each', async () => {
    const cases: Array<[unknown, string[]]> = [
      [{ password: '12345678', roles: [] }, ['/username']],
      [{ username: 'has space', password: '12345678', roles: [] }, ['/username']],
      [{ username: 'ok', password: 'short', roles: [] }, ['/password']],
      [{ username: 'ok', password: '12345678', roles: ['root'] }, ['/roles/0']],
      [{ username: 'ok', password: '12345678' }, ['/roles']],
      [{ username: 'ok', password: '12345678', roles: [], colour: 'red' }, ['/colour']],
    ];
    for (const [body, paths] of cases) {
      assert.deepEqual(
        violationPaths(await api.call('POST', '/api/users', body)),
        paths,
        JSON.stringify(body),
      );
    }
    assert.deepEqual(violationPaths(await api.call('PATCH', `/api/users/${selfId}`, {})), ['']);
    assert.deepEqual(violationPaths(await api.call('PATCH', `/api/users/${selfId}`, { disabled: 'no' })), [
      '/disabled',
    ]);
    assert.deepEqual(violationPaths(await api.call('PATCH', `/api/users/${selfId}`, { username: 'x' })), [
      '/username',
    ]);
    await assertRefusesBadBodies(api, 'POST', '/api/users');
    await assertRefusesBadBodies(api, 'PATCH', `/api/users/${selfId}`);
  });

  test('is closed to callers who are not admins', async () => {
    await assertAdminsOnly(api, 'GET', '/api/users');
    await assertAdminsOnly(api, 'POST', '/api/users', {
      username: 'sneaky',
      password: '12345678',
      roles: ['admin'],
    });
    await assertAdminsOnly(api, 'PATCH', `/api/users/${selfId}`, { disabled: true });
    await assertAdminsOnly(api, 'DELETE', `/api/users/${selfId}`);
    const { rows } = await api.database.query(
      `SELECT 1 FROM users WHERE username = 'sneaky' OR (id = $1 AND disabled)`,
      [selfId],
    );
    assert.equal(rows.length, 0, 'nothing was written');
  });
});
