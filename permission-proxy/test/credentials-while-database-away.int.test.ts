import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  createApiKey,
  createDatabase,
  createUser,
  isDatabaseConnectionError,
  type Database,
} from '@repopulse/core';
import {
  createTestDatabase,
  startTcpProxy,
  testLogger,
  type TcpProxy,
  type TestDatabase,
} from '@repopulse/core/testing';
import { createApiKeyLookup } from '../src/authentication/api-key-lookup.js';
import { createUserLookup } from '../src/authentication/user-lookup.js';

const ttlMs = 10_000;
const staleWhileDownMs = 600_000;

describe('credentials while PostgreSQL cannot be reached (real PostgreSQL behind a TCP proxy the test cuts)', () => {
  let testDatabase: TestDatabase;
  let network: TcpProxy;
  /** The lookups' database, through the cuttable network. */
  let database: Database;
  let now = 0;

  before(async () => {
    testDatabase = await createTestDatabase();
    const url = new URL(testDatabase.url);
    network = await startTcpProxy(Number(url.port || 5432), url.hostname);
    url.port = String(network.port);
    database = createDatabase({ url: url.toString(), logger: testLogger(), maxConnections: 2 });
  });

  beforeEach(() => network.restore());

  after(async () => {
    await database.close();
    await network.close();
    await testDatabase.drop();
  });

  const unreachable = (error: unknown) => isDatabaseConnectionError(error);

  test('an API key the database confirmed keeps working for the stale window; an unseen, forgotten or too old one does not', async () => {
    const lookup = createApiKeyLookup({ database, ttlMs, staleWhileDownMs, now: () => now });
    const seen = await createApiKey(testDatabase.database, { name: 'script', role: 'supplier' });
    const unseen = await createApiKey(testDatabase.database, { name: 'never used', role: 'supplier' });
    const changed = await createApiKey(testDatabase.database, { name: 'changed', role: 'supplier' });
    assert.equal((await lookup.check(seen.key)).status, 'valid');
    assert.equal((await lookup.check(changed.key)).status, 'valid');
    lookup.forget(changed.id);

    network.cut();
    now += ttlMs + 1;
    assert.equal((await lookup.check(seen.key)).status, 'valid', 'past its TTL, while the database is away');
    await assert.rejects(lookup.check(unseen.key), unreachable, 'never confirmed: cannot be checked');
    await assert.rejects(lookup.check(changed.key), unreachable, 'a notification said it changed');
    now += staleWhileDownMs;
    await assert.rejects(lookup.check(seen.key), unreachable, 'confirmed too long ago');

    network.restore();
    assert.equal((await lookup.check(seen.key)).status, 'valid', 'read again once the database is back');
  });

  test('a user row read before the outage answers for the stale window, and is asked for again afterwards', async () => {
    const lookup = createUserLookup({ database, ttlMs, staleWhileDownMs, now: () => now });
    const dana = await createUser(testDatabase.database, {
      username: 'dana',
      password: 'dana-password-1',
      roles: ['analyst'],
    });
    const olga = await createUser(testDatabase.database, {
      username: 'olga',
      password: 'olga-password-1',
      roles: ['analyst'],
    });
    assert.equal((await lookup.find(dana.id))?.username, 'dana');
    assert.equal((await lookup.find(olga.id))?.username, 'olga');
    lookup.forget(olga.id);

    network.cut();
    now += ttlMs + 1;
    assert.equal((await lookup.find(dana.id))?.username, 'dana', 'past its TTL, while the database is away');
    await assert.rejects(lookup.find(olga.id), unreachable, 'a notification said the row changed');
    lookup.clear();
    await assert.rejects(lookup.find(dana.id), unreachable, 'everything dropped (the listener reconnected)');

    network.restore();
    assert.equal((await lookup.find(dana.id))?.username, 'dana');
    network.cut();
    now += staleWhileDownMs + ttlMs;
    await assert.rejects(lookup.find(dana.id), unreachable, 'read too long ago');
  });
});
