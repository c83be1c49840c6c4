import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey, revokeApiKey } from '@repopulse/core';
import { createTestDatabase, type TestDatabase } from '@repopulse/core/testing';
import { createApiKeyLookup } from '../src/authentication/api-key-lookup.js';

describe('API key lookup cache (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  before(async () => {
    testDatabase = await createTestDatabase();
  });
  after(async () => {
    await testDatabase.drop();
  });

  test('answers a valid key from memory within the TTL and honours a revocation after it', async () => {
    let now = 0;
    let queries = 0;
    const counting = {
      query: (text: string, values?: readonly unknown[]) => {
        queries++;
        return testDatabase.database.query(text, values);
      },
    };
    const lookup = createApiKeyLookup({
      database: counting as typeof testDatabase.database,
      ttlMs: 10_000,
      now: () => now,
    });
    const key = await createApiKey(testDatabase.database, { name: 'script', role: 'supplier' });
    assert.equal((await lookup.check(key.key)).status, 'valid');
    assert.equal((await lookup.check(key.key)).status, 'valid');
    assert.equal(queries, 1, 'the second check came from memory');
    await revokeApiKey(testDatabase.database, key.id);
    now += 10_001;
    assert.equal(
      (await lookup.check(key.key)).status,
      'invalid',
      'revoked once the entry is older than the TTL',
    );
    assert.equal((await lookup.check(`${key.key.slice(0, -1)}x`)).status, 'invalid');
  });
});
