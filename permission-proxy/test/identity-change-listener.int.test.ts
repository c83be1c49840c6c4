import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createApiKey,
  createUser,
  revokeApiKey,
  touchApiKey,
  updateUser,
  type NotificationListener,
  type Queryable,
} from '@repopulse/core';
import {
  createTestDatabase,
  startTcpProxy,
  testLogger,
  waitFor,
  type TcpProxy,
  type TestDatabase,
} from '@repopulse/core/testing';
import { createAclCache, type AclCache } from '../src/access-control/acl-cache.js';
import { createApiKeyLookup, type ApiKeyLookup } from '../src/authentication/api-key-lookup.js';
import { createUserLookup, type UserLookup } from '../src/authentication/user-lookup.js';
import { createIdentityChangeListener } from '../src/identity-change-listener.js';

/** Long enough that nothing in these tests expires by itself: only a notification can drop an entry. */
const tenMinutes = 600_000;

/** Counts the queries of each kind, to tell a cache hit from a read. */
function countingQueryable(database: Queryable) {
  const counts = { users: 0, apiKeys: 0, acl: 0 };
  const queryable: Queryable = {
    query(text, values) {
      if (/FROM users/.test(text)) counts.users++;
      if (/FROM api_keys/.test(text)) counts.apiKeys++;
      if (/FROM acl_rules/.test(text)) counts.acl++;
      return database.query(text, values);
    },
  };
  return { queryable, counts };
}

describe('every change to users, API keys and ACL rules drops what the proxy cached (real PostgreSQL, LISTEN/NOTIFY)', () => {
  let testDatabase: TestDatabase;
  let network: TcpProxy;
  let listener: NotificationListener;
  let users: UserLookup;
  let apiKeys: ApiKeyLookup;
  let acl: AclCache;
  let counts: { users: number; apiKeys: number; acl: number };

  before(async () => {
    testDatabase = await createTestDatabase();
    const counting = countingQueryable(testDatabase.database);
    counts = counting.counts;
    users = createUserLookup({ database: counting.queryable, ttlMs: tenMinutes });
    apiKeys = createApiKeyLookup({ database: counting.queryable, ttlMs: tenMinutes });
    acl = createAclCache({ database: counting.queryable, ttlMs: tenMinutes, logger: testLogger() });
    // The listener reaches PostgreSQL through a TCP proxy, so the test can cut its network.
    const url = new URL(testDatabase.url);
    network = await startTcpProxy(Number(url.port || 5432), url.hostname);
    url.port = String(network.port);
    listener = createIdentityChangeListener({
      databaseUrl: url.toString(),
      caches: { users, apiKeys, acl },
      logger: testLogger(),
    });
    listener.start();
    await waitFor(() => listener.connected(), { what: 'the listener' });
  });

  after(async () => {
    await listener?.stop();
    await network?.close();
    await testDatabase?.drop();
  });

  test('a change to a user made by any writer (core’s store, plain SQL) is read again at once', async () => {
    const { database } = testDatabase;
    const eve = await createUser(database, {
      username: 'eve',
      password: 'eve-password-1',
      roles: ['analyst'],
    });
    assert.deepEqual((await users.find(eve.id))?.roles, ['analyst']);
    await updateUser(database, eve.id, { roles: ['supplier'] });
    await waitFor(async () => (await users.find(eve.id))?.roles[0] === 'supplier', {
      timeoutMs: 1_000,
      what: 'the new roles',
    });
    await database.query(`UPDATE users SET disabled = true WHERE id = $1`, [eve.id]);
    await waitFor(async () => (await users.find(eve.id))?.disabled, {
      timeoutMs: 1_000,
      what: 'the disable',
    });
    await database.query(`DELETE FROM users WHERE id = $1`, [eve.id]);
    await waitFor(async () => (await users.find(eve.id)) === undefined, {
      timeoutMs: 1_000,
      what: 'the deletion',
    });
  });

  test('a revoked API key is refused at once, while a key merely used stays cached', async () => {
    const { database } = testDatabase;
    const kept = await createApiKey(database, { name: 'kept', role: 'analyst' });
    const revoked = await createApiKey(database, { name: 'revoked', role: 'analyst' });
    assert.equal((await apiKeys.check(kept.key)).status, 'valid');
    assert.equal((await apiKeys.check(revoked.key)).status, 'valid');
    await touchApiKey(database, kept.id);
    await revokeApiKey(database, revoked.id);
    await waitFor(async () => (await apiKeys.check(revoked.key)).status === 'invalid', {
      timeoutMs: 1_000,
      what: 'the revocation',
    });
    const before = counts.apiKeys;
    assert.equal((await apiKeys.check(kept.key)).status, 'valid');
    assert.equal(counts.apiKeys, before, 'marking a key used (last_used_at) notifies nothing');
  });

  test('an ACL edit is read again at once', async () => {
    const { database } = testDatabase;
    const rulesBefore = await acl.rules();
    await database.query(
      `INSERT INTO acl_rules (priority, methods, path_pattern, roles) VALUES (5, '{GET}', '/only-admins', '{admin}')`,
    );
    await waitFor(async () => (await acl.rules()).length === rulesBefore.length + 1, {
      timeoutMs: 1_000,
      what: 'the new rule',
    });
    const reads = counts.acl;
    await acl.rules();
    assert.equal(counts.acl, reads, 'then served from memory again');
  });

  test('after losing the connection, everything is read again: what changed meanwhile was never notified', async () => {
    const { database } = testDatabase;
    const fay = await createUser(database, {
      username: 'fay',
      password: 'fay-password-1',
      roles: ['analyst'],
    });
    const key = await createApiKey(database, { name: 'during the cut', role: 'analyst' });
    assert.equal((await users.find(fay.id))?.disabled, false);
    assert.equal((await apiKeys.check(key.key)).status, 'valid');
    const rulesBefore = (await acl.rules()).length;
    network.cut();
    await waitFor(() => !listener.connected(), { what: 'the cut to be noticed' });
    await updateUser(database, fay.id, { disabled: true });
    await revokeApiKey(database, key.id);
    await database.query(`DELETE FROM acl_rules WHERE priority = 5`);
    network.restore();
    await waitFor(() => listener.connected(), { what: 'the listener to reconnect' });
    assert.equal((await users.find(fay.id))?.disabled, true);
    assert.equal((await apiKeys.check(key.key)).status, 'invalid');
    assert.equal((await acl.rules()).length, rulesBefore - 1);
  });
});

describe('a cache read under way when a change is heard', () => {
  /** A database whose answers the test releases by hand. */
  function heldDatabase(real: Queryable) {
    const held: Array<() => void> = [];
    const queryable: Queryable = {
      async query(text, values) {
        const answer = await real.query(text, values);
        await new Promise<void>((resolve) => held.push(resolve));
        return answer as never;
      },
    };
    return { queryable, releaseAll: () => held.splice(0).forEach((release) => release()), held };
  }

  let testDatabase: TestDatabase;
  before(async () => {
    testDatabase = await createTestDatabase();
  });
  after(async () => {
    await testDatabase?.drop();
  });

  test('an API key read before the revocation was heard answers its request but is not kept', async () => {
    const { database } = testDatabase;
    const key = await createApiKey(database, { name: 'raced', role: 'analyst' });
    const slow = heldDatabase(database);
    const lookup = createApiKeyLookup({ database: slow.queryable, ttlMs: tenMinutes });
    const underWay = lookup.check(key.key);
    await waitFor(() => slow.held.length === 1, { what: 'the read to be under way' });
    await revokeApiKey(database, key.id);
    lookup.forget(key.id);
    slow.releaseAll();
    assert.equal((await underWay).status, 'valid', 'it started before the change');
    const next = lookup.check(key.key);
    await waitFor(() => slow.held.length === 1, { what: 'a new read' });
    slow.releaseAll();
    assert.equal((await next).status, 'invalid');
  });

  test('ACL rules read before an edit was heard do not count as fresh', async () => {
    const { database } = testDatabase;
    const slow = heldDatabase(database);
    const cache = createAclCache({ database: slow.queryable, ttlMs: tenMinutes, logger: testLogger() });
    const first = cache.rules();
    await waitFor(() => slow.held.length === 1, { what: 'the read to be under way' });
    const count = (await database.query<{ count: number }>('SELECT count(*)::int AS count FROM acl_rules'))
      .rows[0]!.count;
    await database.query(
      `INSERT INTO acl_rules (priority, methods, path_pattern, roles) VALUES (6, '{GET}', '/raced', '{admin}')`,
    );
    cache.invalidate();
    const afterEdit = cache.rules();
    await waitFor(() => slow.held.length === 2, { what: 'a read of its own for the request after the edit' });
    slow.releaseAll();
    assert.equal((await first).length, count);
    assert.equal((await afterEdit).length, count + 1);
  });
});
