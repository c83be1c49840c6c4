import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, waitFor, type TestDatabase } from '@repopulse/core/testing';
import {
  BadRequestError,
  checkApiKey,
  createApiKey,
  createApiKeyUsageTracker,
  createUser,
  findApiKeyById,
  findApiKeyIdentity,
  hashApiKeySecret,
  listApiKeys,
  parseApiKey,
  revokeApiKey,
  type Queryable,
} from '../src/index.js';

/** The real database, counting the statements sent to it and those it has answered. */
function counting(database: Queryable) {
  const counter = { statements: 0, answered: 0 };
  const queryable: Queryable = {
    async query(text, values) {
      counter.statements++;
      try {
        return await database.query(text, values);
      } finally {
        counter.answered++;
      }
    },
  };
  return { queryable, counter };
}

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('API keys (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;

  before(async () => {
    testDatabase = await createTestDatabase();
  });

  after(async () => {
    await testDatabase?.drop();
  });

  test('a new key reads rp_<12-character id>_<43-character secret> and is shown only in the answer to its creation', async () => {
    const { database } = testDatabase;
    const owner = await createUser(database, {
      username: 'owner',
      password: 'owner-password',
      roles: ['admin'],
    });
    const created = await createApiKey(database, {
      name: 'nightly import',
      role: 'supplier',
      createdBy: owner.id,
    });
    assert.match(created.key, /^rp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.key.slice(3, 15), created.keyId);
    assert.equal(created.role, 'supplier');
    assert.equal(created.expiresAt, null);
    const listed = (await listApiKeys(database)).find((key) => key.id === created.id);
    assert.ok(listed);
    assert.equal(listed.createdBy, owner.id);
    assert.ok(!('key' in listed));
    assert.ok(!('secretHash' in listed));
    assert.ok(!JSON.stringify(await listApiKeys(database)).includes(parseApiKey(created.key)!.secret));
  });

  test('the table holds the key id and a SHA-256 of the secret, never the secret itself', async () => {
    const { database } = testDatabase;
    const created = await createApiKey(database, { name: 'stored hashed', role: 'analyst' });
    const { secret } = parseApiKey(created.key)!;
    const { rows } = await database.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = $1', [
      created.id,
    ]);
    const row = JSON.stringify(rows[0]);
    assert.ok(!row.includes(secret), 'the secret is not in the row');
    assert.ok(!row.includes(created.key), 'the key is not in the row');
    assert.equal(rows[0]!.secret_hash, hashApiKeySecret(secret));
    assert.match(String(rows[0]!.secret_hash), /^[0-9a-f]{64}$/);
  });

  test('a valid key gives the identity of the key with its role and scopes', async () => {
    const { database } = testDatabase;
    const created = await createApiKey(database, {
      name: 'acme reader',
      role: 'analyst',
      scopes: { params: { owner: ['acme'] }, maxLimit: 20 },
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    assert.deepEqual(await findApiKeyIdentity(database, created.key), {
      kind: 'api-key',
      id: created.id,
      name: 'acme reader',
      roles: ['analyst'],
      scopes: { params: { owner: ['acme'] }, maxLimit: 20 },
    });
  });

  test('refuses a key whose secret differs in one character, an unknown id, and malformed keys', async () => {
    const { database } = testDatabase;
    const created = await createApiKey(database, { name: 'near misses', role: 'supplier' });
    const last = created.key.at(-1)!;
    const nearMiss = created.key.slice(0, -1) + (last === 'A' ? 'B' : 'A');
    const unknownId = `rp_000000000000_${created.key.slice(16)}`;
    const malformed = [
      '',
      'rp_',
      created.key.slice(0, -1),
      `${created.key}x`,
      created.key.replace('rp_', 'xx_'),
      created.key.toUpperCase(),
      `rp_${created.keyId}_${'!'.repeat(43)}`,
      "rp_' OR 1=1 --",
    ];
    for (const key of [nearMiss, unknownId, ...malformed]) {
      assert.deepEqual(await checkApiKey(database, key), { status: 'invalid' }, key);
      assert.equal(await findApiKeyIdentity(database, key), undefined, key);
    }
  });

  test('an expired key is refused as expired, but only to whoever holds its secret', async () => {
    const { database } = testDatabase;
    const created = await createApiKey(database, {
      name: 'short lived',
      role: 'analyst',
      expiresAt: new Date(Date.now() + 60_000),
    });
    await database.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      created.id,
    ]);
    assert.deepEqual(await checkApiKey(database, created.key), { status: 'expired' });
    assert.equal(await findApiKeyIdentity(database, created.key), undefined);
    const wrongSecret = created.key.slice(0, 16) + 'A'.repeat(43);
    assert.deepEqual(await checkApiKey(database, wrongSecret), { status: 'invalid' });
  });

  test('a revoked key is refused from then on, and revoking twice is harmless', async () => {
    const { database } = testDatabase;
    const created = await createApiKey(database, { name: 'to revoke', role: 'supplier' });
    assert.ok(await findApiKeyIdentity(database, created.key));
    assert.equal(await revokeApiKey(database, created.id), true);
    assert.deepEqual(await checkApiKey(database, created.key), { status: 'invalid' });
    const revokedAt = (await findApiKeyById(database, created.id))!.revokedAt;
    assert.ok(revokedAt instanceof Date);
    assert.equal(await revokeApiKey(database, created.id), true);
    assert.deepEqual((await findApiKeyById(database, created.id))!.revokedAt, revokedAt);
    assert.equal(await revokeApiKey(database, '999999'), false);
    assert.equal(await revokeApiKey(database, 'abc'), false);
  });

  test('refuses to create a key with an unknown role, no name, a past expiry or an unknown creator', async () => {
    const { database } = testDatabase;
    await assert.rejects(createApiKey(database, { name: 'x', role: 'root' }), BadRequestError);
    await assert.rejects(createApiKey(database, { name: '  ', role: 'analyst' }), BadRequestError);
    await assert.rejects(
      createApiKey(database, { name: 'x', role: 'analyst', expiresAt: new Date(Date.now() - 1) }),
      BadRequestError,
    );
    await assert.rejects(
      createApiKey(database, { name: 'x', role: 'analyst', createdBy: '999999' }),
      BadRequestError,
    );
  });

  test('notes when a key was used, writing at most once a minute per key', async () => {
    const { database } = testDatabase;
    const created = await createApiKey(database, { name: 'busy', role: 'analyst' });
    const { queryable, counter } = counting(database);
    const clock = manualClock();
    const errors: unknown[] = [];
    const tracker = createApiKeyUsageTracker({
      queryable,
      now: clock.now,
      onError: (error) => errors.push(error),
    });
    for (let request = 0; request < 50; request++) tracker.keyUsed(created.id);
    assert.equal(counter.statements, 1);
    const firstUse = await waitFor(async () => (await findApiKeyById(database, created.id))?.lastUsedAt, {
      what: 'last_used_at',
    });
    clock.advance(59_000);
    tracker.keyUsed(created.id);
    assert.equal(counter.statements, 1);
    clock.advance(1_000);
    tracker.keyUsed(created.id);
    assert.equal(counter.statements, 2);
    await waitFor(() => counter.answered === 2, { what: 'the second touch' });
    // The row was touched less than a minute ago (database time), so the statement itself leaves it alone.
    assert.deepEqual((await findApiKeyById(database, created.id))?.lastUsedAt, firstUse);
    assert.deepEqual(errors, []);
  });
});
