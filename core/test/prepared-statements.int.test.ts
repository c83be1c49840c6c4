import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDatabase, prepared, type Database } from '../src/index.js';
import { createTestDatabase, testLogger, type TestDatabase } from '../src/testing/index.js';

// What the server holds prepared on the connection that runs the query (pg_prepared_statements is per session).
const preparedOnThisConnection = `SELECT name, statement FROM pg_prepared_statements WHERE NOT from_sql ORDER BY name`;

describe('prepared statements (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let database: Database;

  before(async () => {
    testDatabase = await createTestDatabase();
    // One connection, so every statement of the test meets the same server session.
    database = createDatabase({ url: testDatabase.url, logger: testLogger(), maxConnections: 1 });
  });
  after(async () => {
    await database.close();
    await testDatabase.drop();
  });

  test('a text marked prepared runs as a named statement, parsed once per connection; others stay unnamed', async () => {
    const marked = prepared('SELECT $1::integer + 1 AS next');
    assert.equal(prepared(marked), marked, 'marking twice changes nothing');
    for (const value of [1, 2, 3]) {
      const { rows } = await database.query<{ next: number }>(marked, [value]);
      assert.equal(rows[0]!.next, value + 1);
    }
    await database.query('SELECT $1::integer * 2 AS double', [4]);
    const { rows } = await database.query<{ name: string; statement: string }>(preparedOnThisConnection);
    assert.deepEqual(
      rows.map((row) => row.statement),
      [marked],
      'one prepared statement, the marked one; the unmarked query left none behind',
    );
    assert.match(rows[0]!.name, /^repopulse_\d+$/);
  });

  test('inside a transaction too, with its values bound anew each time', async () => {
    const marked = prepared('SELECT $1::text || $2::text AS joined');
    const joined = await database.transaction(async (transaction) => {
      const first = await transaction.query<{ joined: string }>(marked, ['a', 'b']);
      const second = await transaction.query<{ joined: string }>(marked, ['c', 'd']);
      return [first.rows[0]!.joined, second.rows[0]!.joined];
    });
    assert.deepEqual(joined, ['ab', 'cd']);
    const { rows } = await database.query<{ statement: string }>(preparedOnThisConnection);
    assert.ok(rows.some((row) => row.statement === marked));
  });
});
