import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pruneExpiredRows } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

const retention = { processedMessagesDays: 30, processedEventsDays: 400, auditDays: 365, usageDays: 400 };

describe('bookkeeping rows are pruned past their retention (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;

  before(async () => {
    testDatabase = await createTestDatabase();
  });
  after(async () => {
    await testDatabase.drop();
  });

  const count = async (sql: string) => (await testDatabase.database.query<{ n: number }>(sql)).rows[0]!.n;

  test('old inbox rows, event ids, audit rows, usage and login guesses go; recent ones stay', async () => {
    const { database } = testDatabase;
    await database.query(
      `INSERT INTO processed_messages (consumer, message_id, processed_at)
       SELECT 'ingest.events', 'old-' || n, now() - interval '31 days' FROM generate_series(1, 2500) AS n
       UNION ALL SELECT 'ingest.events', 'new-' || n, now() - interval '29 days' FROM generate_series(1, 3) AS n`,
    );
    await database.query(
      `INSERT INTO processed_events (source, event_id, processed_at)
       VALUES ('forge', 'ancient', now() - interval '401 days'), ('forge', 'recent', now() - interval '399 days')`,
    );
    await database.query(
      `INSERT INTO audit_log (occurred_at, actor_kind, action, outcome)
       VALUES (now() - interval '366 days', 'system', 'old', 'success'), (now(), 'system', 'new', 'success')`,
    );
    await database.query(
      `INSERT INTO usage_daily (day, principal_kind, principal_id, route)
       VALUES (current_date - 401, 'user', '1', '/api/*'), (current_date, 'user', '1', '/api/*')`,
    );
    await database.query(
      `INSERT INTO login_guesses (subject, guessed_at)
       VALUES ('user:ann', now() - interval '2 days'), ('user:ann', now())`,
    );

    const deleted = await pruneExpiredRows(database, retention, { batchSize: 1_000 });
    assert.deepEqual(deleted, {
      processed_messages: 2_500,
      processed_events: 1,
      audit_log: 1,
      usage_daily: 1,
      login_guesses: 1,
      login_throttles: 0,
    });
    assert.equal(await count(`SELECT count(*)::int AS n FROM processed_messages`), 3);
    assert.equal(await count(`SELECT count(*)::int AS n FROM processed_events WHERE event_id = 'recent'`), 1);
    assert.equal(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'new'`), 1);
    assert.equal(await count(`SELECT count(*)::int AS n FROM usage_daily`), 1);
    assert.equal(await count(`SELECT count(*)::int AS n FROM login_guesses`), 1);
    // Nothing left to do: a second pass deletes nothing.
    assert.ok(Object.values(await pruneExpiredRows(database, retention)).every((n) => n === 0));
  });
});
