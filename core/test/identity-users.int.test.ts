import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '@repopulse/core/testing';
import {
  BadRequestError,
  ConflictError,
  createUser,
  deleteUser,
  ensureAdminUser,
  findUserById,
  findUserForLogin,
  listUsers,
  SchemaViolationError,
  updateUser,
  verifyPassword,
} from '../src/index.js';

describe('users store (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;

  before(async () => {
    testDatabase = await createTestDatabase();
  });

  after(async () => {
    await testDatabase?.drop();
  });

  test('creates a user with roles and scopes and never hands the password hash back', async () => {
    const { database } = testDatabase;
    const user = await createUser(database, {
      username: 'Ann.Analyst',
      password: 'ann-password-1',
      roles: ['analyst'],
      scopes: { params: { owner: ['acme', 'globex'] }, maxLimit: 50 },
    });
    assert.match(user.id, /^\d+$/);
    assert.equal(user.username, 'Ann.Analyst');
    assert.deepEqual(user.roles, ['analyst']);
    assert.deepEqual(user.scopes, { params: { owner: ['acme', 'globex'] }, maxLimit: 50 });
    assert.equal(user.disabled, false);
    assert.ok(user.createdAt instanceof Date);
    assert.ok(!('passwordHash' in user));
    assert.ok(!JSON.stringify(user).includes('argon2'));
    const { rows } = await database.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE id = $1',
      [user.id],
    );
    assert.match(rows[0]!.password_hash, /^\$argon2id\$/);
    assert.ok(!rows[0]!.password_hash.includes('ann-password-1'));
  });

  test('finds a user for login whatever the case of the name, with the hash to check', async () => {
    const { database } = testDatabase;
    const created = await createUser(database, {
      username: 'Sam',
      password: 'sam-password-1',
      roles: ['supplier'],
    });
    const found = await findUserForLogin(database, 'sAM');
    assert.equal(found?.id, created.id);
    assert.equal((await verifyPassword(found!.passwordHash, 'sam-password-1')).valid, true);
    assert.equal(await findUserForLogin(database, 'nobody'), undefined);
  });

  test('refuses a second user whose name differs only in case', async () => {
    const { database } = testDatabase;
    await createUser(database, { username: 'carol', password: 'carol-password', roles: ['analyst'] });
    await assert.rejects(
      createUser(database, { username: 'CAROL', password: 'carol-password', roles: ['analyst'] }),
      ConflictError,
    );
  });

  test('refuses unknown roles, bad names, short passwords and malformed scopes with a reason', async () => {
    const { database } = testDatabase;
    await assert.rejects(
      createUser(database, { username: 'dave', password: 'dave-password', roles: ['root'] }),
      (error: unknown) => error instanceof BadRequestError && /root/.test(error.message),
    );
    await assert.rejects(
      createUser(database, { username: 'da ve', password: 'dave-password', roles: [] }),
      BadRequestError,
    );
    await assert.rejects(
      createUser(database, { username: 'dave', password: 'short', roles: [] }),
      BadRequestError,
    );
    await assert.rejects(
      createUser(database, {
        username: 'dave',
        password: 'dave-password',
        roles: ['analyst'],
        scopes: { maxLimit: 0 } as never,
      }),
      SchemaViolationError,
    );
    assert.equal(await findUserForLogin(database, 'dave'), undefined);
  });

  test('finds users by id, lists them in order, and treats a malformed id as no user', async () => {
    const { database } = testDatabase;
    const erin = await createUser(database, { username: 'erin', password: 'erin-password', roles: [] });
    assert.equal((await findUserById(database, erin.id))?.username, 'erin');
    assert.equal(await findUserById(database, '999999'), undefined);
    assert.equal(await findUserById(database, 'not-a-number'), undefined);
    assert.equal(await findUserById(database, '1 OR 1=1'), undefined);
    const ids = (await listUsers(database)).map((user) => Number(user.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    assert.ok(ids.includes(Number(erin.id)));
    assert.ok((await listUsers(database)).every((user) => !('passwordHash' in user)));
  });

  test('updates only the fields given, including the password', async () => {
    const { database } = testDatabase;
    const frank = await createUser(database, {
      username: 'frank',
      password: 'frank-password',
      roles: ['analyst'],
      scopes: { maxLimit: 10 },
    });
    const disabled = await updateUser(database, frank.id, { disabled: true });
    assert.equal(disabled?.disabled, true);
    assert.deepEqual(disabled?.roles, ['analyst']);
    assert.deepEqual(disabled?.scopes, { maxLimit: 10 });
    assert.ok(disabled!.updatedAt >= frank.updatedAt);
    const changed = await updateUser(database, frank.id, {
      roles: ['analyst', 'supplier'],
      scopes: {},
      password: 'frank-new-password',
    });
    assert.deepEqual(changed?.roles, ['analyst', 'supplier']);
    assert.deepEqual(changed?.scopes, {});
    assert.equal(changed?.disabled, true);
    const forLogin = await findUserForLogin(database, 'frank');
    assert.equal((await verifyPassword(forLogin!.passwordHash, 'frank-new-password')).valid, true);
    assert.equal((await verifyPassword(forLogin!.passwordHash, 'frank-password')).valid, false);
    assert.equal(await updateUser(database, '999999', { disabled: false }), undefined);
    await assert.rejects(updateUser(database, frank.id, { roles: ['wizard'] }), BadRequestError);
    await assert.rejects(updateUser(database, frank.id, { username: 'CAROL' }), ConflictError);
  });

  test('deletes a user once', async () => {
    const { database } = testDatabase;
    const gina = await createUser(database, { username: 'gina', password: 'gina-password', roles: [] });
    assert.equal(await deleteUser(database, gina.id), true);
    assert.equal(await deleteUser(database, gina.id), false);
    assert.equal(await findUserById(database, gina.id), undefined);
  });
});

describe('the first admin (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;

  before(async () => {
    testDatabase = await createTestDatabase();
  });

  after(async () => {
    await testDatabase?.drop();
  });

  test('is created once, with role admin, even when two replicas start at the same moment', async () => {
    const { database } = testDatabase;
    const results = await Promise.all([
      ensureAdminUser(database, 'first-password'),
      ensureAdminUser(database, 'second-password'),
      ensureAdminUser(database, 'third-password'),
    ]);
    assert.equal(results.filter((result) => result.created).length, 1);
    assert.equal(new Set(results.map((result) => result.id)).size, 1);
    const { rows } = await database.query<{ roles: string[] }>(
      `SELECT roles FROM users WHERE lower(username) = 'admin'`,
    );
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0]!.roles, ['admin']);
  });

  test('keeps the admin’s password on later starts, whatever password they bring', async () => {
    const { database } = testDatabase;
    const admin = await findUserForLogin(database, 'admin');
    const passwords = ['first-password', 'second-password', 'third-password'];
    const valid = await Promise.all(
      passwords.map(async (password) => (await verifyPassword(admin!.passwordHash, password)).valid),
    );
    assert.equal(valid.filter(Boolean).length, 1);
    const winner = passwords[valid.indexOf(true)]!;
    assert.deepEqual(await ensureAdminUser(database, 'a-later-password'), { created: false, id: admin!.id });
    const after = await findUserForLogin(database, 'admin');
    assert.equal((await verifyPassword(after!.passwordHash, winner)).valid, true);
  });
});
