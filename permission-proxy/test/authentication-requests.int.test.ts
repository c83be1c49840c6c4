import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createApiKey,
  createDatabase,
  createUser,
  deleteUser,
  findApiKeyById,
  revokeApiKey,
  revokeUserTokens,
  updateUser,
  type Database,
  type Identity,
  type User,
} from '@repopulse/core';
import {
  createTestDatabase,
  startTcpProxy,
  testLogger,
  waitFor,
  type TcpProxy,
  type TestDatabase,
} from '@repopulse/core/testing';
import { handMadeToken, plausibleClaims } from './auth-tokens.js';
import {
  startAuthTestApp,
  testAudience,
  testIssuer,
  testTokenService,
  type AuthTestApp,
} from './auth-test-app.js';

/** A clock the test moves by hand, so the user cache's TTL passes without sleeping. */
function manualClock(start = Date.now()) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

async function probe(app: AuthTestApp, headers: Record<string, string>) {
  const response = await fetch(`${app.base}/probe`, { headers });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, body, contentType: response.headers.get('content-type') };
}

function bearer(credential: string): Record<string, string> {
  return { authorization: `Bearer ${credential}` };
}

describe('request authentication over HTTP (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let app: AuthTestApp;
  const clock = manualClock();
  let ann: User;

  before(async () => {
    testDatabase = await createTestDatabase();
    app = await startAuthTestApp({ database: testDatabase.database, now: clock.now });
    ann = await createUser(testDatabase.database, {
      username: 'ann',
      password: 'ann-password-1',
      roles: ['analyst'],
      scopes: { params: { owner: ['acme'] } },
    });
  });

  after(async () => {
    await app?.stop();
    await testDatabase?.drop();
  });

  test('a request without credentials is anonymous', async () => {
    const { status, body } = await probe(app, {});
    assert.equal(status, 200);
    assert.deepEqual(body, { identity: null });
  });

  test('a Bearer JWT gives the user with the roles and scopes of their row', async () => {
    const token = app.tokens.issue({ kind: 'user', id: ann.id, name: 'ann', roles: [], scopes: {} });
    const { status, body } = await probe(app, bearer(token.access_token));
    assert.equal(status, 200);
    assert.deepEqual(body.identity, {
      kind: 'user',
      id: ann.id,
      name: 'ann',
      roles: ['analyst'],
      scopes: { params: { owner: ['acme'] } },
    });
  });

  test('a Bearer API key and an X-API-Key header give the key, and mark it used', async () => {
    const key = await createApiKey(testDatabase.database, {
      name: 'importer',
      role: 'supplier',
      scopes: { maxLimit: 5 },
    });
    const expected = {
      kind: 'api-key',
      id: key.id,
      name: 'importer',
      roles: ['supplier'],
      scopes: { maxLimit: 5 },
    };
    assert.deepEqual((await probe(app, bearer(key.key))).body.identity, expected);
    assert.deepEqual((await probe(app, { 'x-api-key': key.key })).body.identity, expected);
    await waitFor(async () => (await findApiKeyById(testDatabase.database, key.id))?.lastUsedAt, {
      what: 'last_used_at',
    });
  });

  test('bad credentials get 401 problem+json that says expired or invalid, nothing more', async () => {
    const expiredKey = await createApiKey(testDatabase.database, {
      name: 'expiring',
      role: 'analyst',
      expiresAt: new Date(Date.now() + 60_000),
    });
    await testDatabase.database.query(
      `UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [expiredKey.id],
    );
    const revokedKey = await createApiKey(testDatabase.database, { name: 'revoked', role: 'analyst' });
    await revokeApiKey(testDatabase.database, revokedKey.id);
    const earlier = testTokenService(() => Date.now() - 3_600_000);
    const expiredToken = earlier.issue({ kind: 'user', id: ann.id, name: 'ann', roles: [], scopes: {} });
    const claims = plausibleClaims(ann.id, { issuer: testIssuer, audience: testAudience });
    const cases: Array<[string, Record<string, string>, string]> = [
      ['garbage JWT', bearer('not.a.jwt'), 'The token is invalid'],
      ['expired JWT', bearer(expiredToken.access_token), 'The token has expired'],
      ['alg none', bearer(handMadeToken({ alg: 'none', typ: 'JWT' }, claims)), 'The token is invalid'],
      ['other key', bearer(handMadeToken({ alg: 'HS256' }, claims, 'x'.repeat(40))), 'The token is invalid'],
      ['unknown key', bearer(`rp_000000000000_${'A'.repeat(43)}`), 'The API key is invalid'],
      ['malformed key', { 'x-api-key': 'rp_short' }, 'The API key is invalid'],
      ['revoked key', { 'x-api-key': revokedKey.key }, 'The API key is invalid'],
      ['expired key', bearer(expiredKey.key), 'The API key has expired'],
      ['empty X-API-Key', { 'x-api-key': ' ' }, 'The API key is invalid'],
    ];
    for (const [name, headers, detail] of cases) {
      const { status, body, contentType } = await probe(app, headers);
      assert.equal(status, 401, name);
      assert.match(contentType ?? '', /^application\/problem\+json/, name);
      assert.equal(body.type, 'urn:repopulse:problem:unauthorised', name);
      assert.equal(body.detail, detail, name);
    }
  });

  test('an Authorization header of another scheme, or two credentials at once, get 401', async () => {
    const key = await createApiKey(testDatabase.database, { name: 'double', role: 'analyst' });
    const cases: Array<Record<string, string>> = [
      { authorization: 'Basic YW5uOmFubi1wYXNzd29yZC0x' },
      { authorization: 'Bearer' },
      { authorization: key.key },
      { authorization: `Bearer ${key.key}`, 'x-api-key': key.key },
    ];
    for (const headers of cases) {
      const { status } = await probe(app, headers);
      assert.equal(status, 401, JSON.stringify(headers));
    }
  });

  test('a disabled or changed user counts within the cache time, a deleted user is refused', async () => {
    const { database } = testDatabase;
    const bob = await createUser(database, {
      username: 'bob',
      password: 'bob-password-1',
      roles: ['analyst'],
    });
    const token = app.tokens.issue({ kind: 'user', id: bob.id, name: 'bob', roles: [], scopes: {} });
    assert.equal((await probe(app, bearer(token.access_token))).status, 200);
    await updateUser(database, bob.id, { roles: ['supplier'] });
    // Within the TTL the cached row still answers (here no notification drops it): never a query per request.
    assert.deepEqual((await probe(app, bearer(token.access_token))).body.identity, {
      kind: 'user',
      id: bob.id,
      name: 'bob',
      roles: ['analyst'],
      scopes: {},
    });
    clock.advance(10_000);
    assert.deepEqual((await probe(app, bearer(token.access_token))).body.identity, {
      kind: 'user',
      id: bob.id,
      name: 'bob',
      roles: ['supplier'],
      scopes: {},
    });
    await updateUser(database, bob.id, { disabled: true });
    clock.advance(10_000);
    const disabled = await probe(app, bearer(token.access_token));
    assert.equal(disabled.status, 401);
    assert.equal(disabled.body.detail, 'The token is invalid');
    // Enabled again, the tokens from before the disable stay dead: a new login is needed.
    const enabled = await updateUser(database, bob.id, { disabled: false });
    clock.advance(10_000);
    assert.equal((await probe(app, bearer(token.access_token))).status, 401);
    const fresh = app.tokens.issue(
      { kind: 'user', id: bob.id, name: 'bob', roles: [], scopes: {} },
      enabled!.tokenVersion,
    );
    assert.equal((await probe(app, bearer(fresh.access_token))).status, 200);
    await deleteUser(database, bob.id);
    clock.advance(10_000);
    assert.equal((await probe(app, bearer(fresh.access_token))).status, 401);
  });

  test('a token issued before a password change or “sign out everywhere” is refused as revoked', async () => {
    const { database } = testDatabase;
    const cy = await createUser(database, { username: 'cy', password: 'cy-password-1', roles: ['analyst'] });
    const identity: Identity = { kind: 'user', id: cy.id, name: 'cy', roles: [], scopes: {} };
    const before = app.tokens.issue(identity, cy.tokenVersion);
    assert.equal((await probe(app, bearer(before.access_token))).status, 200);
    const changed = await updateUser(database, cy.id, { password: 'cy-password-2' });
    assert.equal(changed!.tokenVersion, cy.tokenVersion + 1);
    app.users.forget(cy.id);
    const revoked = await probe(app, bearer(before.access_token));
    assert.equal(revoked.status, 401);
    assert.equal(revoked.body.detail, 'The token has been revoked: sign in again');
    const afterChange = app.tokens.issue(identity, changed!.tokenVersion);
    assert.equal((await probe(app, bearer(afterChange.access_token))).status, 200);
    const signedOut = await revokeUserTokens(database, cy.id);
    assert.equal(signedOut!.tokenVersion, cy.tokenVersion + 2);
    app.users.forget(cy.id);
    assert.equal((await probe(app, bearer(afterChange.access_token))).status, 401);
    // Role and scope changes are read from the row: they end no session.
    const regranted = await updateUser(database, cy.id, { roles: ['supplier'], scopes: { maxLimit: 5 } });
    assert.equal(regranted!.tokenVersion, signedOut!.tokenVersion);
  });

  test('a token newer than the cached user row (issued by another replica after a change) is checked against the row, not refused', async () => {
    const { database } = testDatabase;
    const di = await createUser(database, { username: 'di', password: 'di-password-1', roles: ['analyst'] });
    const identity: Identity = { kind: 'user', id: di.id, name: 'di', roles: [], scopes: {} };
    assert.equal((await probe(app, bearer(app.tokens.issue(identity, 0).access_token))).status, 200);
    const changed = await updateUser(database, di.id, { password: 'di-password-2' });
    // This replica has not heard of the change (its cache still holds version 0) …
    const newer = app.tokens.issue(identity, changed!.tokenVersion);
    assert.equal((await probe(app, bearer(newer.access_token))).status, 200);
    // … and from then on knows the new version: the old token is refused.
    assert.equal((await probe(app, bearer(app.tokens.issue(identity, 0).access_token))).status, 401);
    const forged = app.tokens.issue(identity, changed!.tokenVersion + 5);
    assert.equal((await probe(app, bearer(forged.access_token))).status, 401);
  });
});

describe('request authentication while the database is away', () => {
  let testDatabase: TestDatabase;
  let databaseProxy: TcpProxy;
  let databaseBehindProxy: Database;
  let app: AuthTestApp;

  before(async () => {
    testDatabase = await createTestDatabase();
    const url = new URL(testDatabase.url);
    databaseProxy = await startTcpProxy(Number(url.port || 5432), url.hostname);
    url.port = String(databaseProxy.port);
    databaseBehindProxy = createDatabase({ url: url.toString(), logger: testLogger(), maxConnections: 2 });
    app = await startAuthTestApp({ database: databaseBehindProxy });
  });

  after(async () => {
    await app?.stop();
    await databaseBehindProxy?.close();
    await databaseProxy?.close();
    await testDatabase?.drop();
  });

  test('answers 503 rather than 401 or 500 when credentials cannot be checked', async () => {
    const key = await createApiKey(testDatabase.database, { name: 'while away', role: 'analyst' });
    const user = await createUser(testDatabase.database, {
      username: 'away',
      password: 'away-password',
      roles: ['analyst'],
    });
    const token = app.tokens.issue({ kind: 'user', id: user.id, name: 'away', roles: [], scopes: {} });
    assert.equal((await probe(app, { 'x-api-key': key.key })).status, 200);
    databaseProxy.cut();
    try {
      for (const headers of [{ 'x-api-key': key.key }, bearer(token.access_token)]) {
        const { status, body } = await probe(app, headers);
        assert.equal(status, 503, JSON.stringify(headers));
        assert.equal(body.type, 'urn:repopulse:problem:unavailable');
      }
      assert.equal((await probe(app, {})).status, 200, 'anonymous requests need no database');
    } finally {
      databaseProxy.restore();
    }
    await waitFor(async () => (await probe(app, { 'x-api-key': key.key })).status === 200, {
      what: 'the database to answer again',
    });
  });
});
