import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDatabase, type Database } from '@repopulse/core';
import {
  capturedLogger,
  createTestDatabase,
  startTcpProxy,
  testLogger,
  waitFor,
  type TcpProxy,
  type TestDatabase,
} from '@repopulse/core/testing';
import { createSharedRateLimiter, windowSeconds } from '../src/rate-limits/shared-rate-limiter.js';

describe('rate limits shared by proxy replicas (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  /** Each replica has a pool of its own, as two proxy processes would. */
  const pools: Database[] = [];
  const replica = () => {
    const database = createDatabase({ url: testDatabase.url, logger: testLogger(), maxConnections: 2 });
    pools.push(database);
    return createSharedRateLimiter({ database, logger: testLogger(), storeTimeoutMs: 5_000 });
  };

  before(async () => {
    testDatabase = await createTestDatabase();
  });
  after(async () => {
    for (const pool of pools) await pool.close();
    await testDatabase.drop();
  });

  test('two replicas count a caller once: a burst at once in all, then refused with the time to wait', async () => {
    const [first, second] = [replica(), replica()];
    const outcomes = [];
    for (let index = 0; index < 8; index++) {
      outcomes.push(await (index % 2 === 0 ? first : second).take('rule-1|api-key:1', 6, 4));
    }
    assert.deepEqual(
      outcomes.map((outcome) => outcome.allowed),
      [true, true, true, true, false, false, false, false],
    );
    assert.deepEqual(
      outcomes.map((outcome) => outcome.remaining),
      [3, 2, 1, 0, 0, 0, 0, 0],
    );
    for (const refused of outcomes.slice(4)) {
      assert.equal(refused.limit, 4);
      assert.ok(
        refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 40,
        String(refused.retryAfterSeconds),
      );
    }
    assert.equal((await first.take('rule-1|api-key:2', 6, 4)).allowed, true, 'another caller has its own');
    assert.equal((await second.take('rule-2|api-key:1', 6, 4)).allowed, true, 'and so has another rule');
    const { rows } = await testDatabase.database.query<{ points: number }>(
      `SELECT points FROM rate_limits WHERE key = 'rule-1|api-key:1'`,
    );
    assert.ok(rows[0]!.points >= 5, 'the count lives in PostgreSQL');
  });

  test('opens a new window burst / perMinute of a minute after the first request of the last', async () => {
    const [first, second] = [replica(), replica()];
    assert.equal((await first.take('window', 60, 2)).allowed, true);
    assert.equal((await first.take('window', 60, 2)).allowed, true);
    const refused = await second.take('window', 60, 2);
    assert.equal(refused.allowed, false, 'the other replica sees the window used up');
    assert.ok(refused.retryAfterSeconds <= 2);
    await waitFor(async () => (await second.take('window', 60, 2)).allowed, {
      timeoutMs: 10_000,
      intervalMs: 200,
      what: 'the next window',
    });
    assert.equal(
      (await first.take('window', 60, 2)).allowed,
      true,
      'the replica that refused from memory too',
    );
  });

  test('takes its window from the rule’s figures, in whole milliseconds', () => {
    assert.equal(windowSeconds(1200, 200), 10);
    assert.equal(windowSeconds(10, 10), 60);
    assert.equal(windowSeconds(6, 3), 30);
    for (const [perMinute, burst] of [
      [7, 1],
      [59_940, 1_001],
      [100_000_000, 1_000_000],
    ] as const) {
      const milliseconds = windowSeconds(perMinute, burst) * 1_000;
      assert.ok(Number.isInteger(milliseconds), `${perMinute}/${burst}: ${milliseconds}`);
    }
  });
});

describe('rate limits while PostgreSQL is away', () => {
  let testDatabase: TestDatabase;
  let databaseProxy: TcpProxy;
  let behindProxy: Database;
  let direct: Database;

  before(async () => {
    testDatabase = await createTestDatabase();
    const url = new URL(testDatabase.url);
    databaseProxy = await startTcpProxy(Number(url.port || 5432), url.hostname);
    url.port = String(databaseProxy.port);
    behindProxy = createDatabase({ url: url.toString(), logger: testLogger(), maxConnections: 2 });
    direct = createDatabase({ url: testDatabase.url, logger: testLogger(), maxConnections: 2 });
  });
  after(async () => {
    await behindProxy?.close();
    await direct?.close();
    await databaseProxy?.close();
    await testDatabase?.drop();
  });

  test('each replica limits from memory with the same figures, warns once, and shares again once it is back', async () => {
    const { logger, lines } = capturedLogger('info');
    const cutOff = createSharedRateLimiter({ database: behindProxy, logger, storeTimeoutMs: 500 });
    const other = createSharedRateLimiter({ database: direct, logger: testLogger(), storeTimeoutMs: 5_000 });
    assert.equal((await cutOff.take('before', 6, 2)).allowed, true);
    databaseProxy.cut();
    try {
      const outcomes = [];
      for (let index = 0; index < 4; index++) outcomes.push(await cutOff.take('during', 6, 2));
      assert.deepEqual(
        outcomes.map((outcome) => outcome.allowed),
        [true, true, false, false],
      );
      assert.ok(outcomes[2]!.retryAfterSeconds >= 1);
      const warnings = (await lines()).filter((line) => line.level === 'warn');
      assert.equal(warnings.length, 1, JSON.stringify(warnings));
      assert.match(String(warnings[0]!.message), /rate-limit store unavailable/);
    } finally {
      databaseProxy.restore();
    }
    let probe = 0;
    await waitFor(
      async () => {
        await cutOff.take(`probe-${probe++}`, 6, 2);
        return (await lines()).some((line) => /rate-limit store answers again/.test(String(line.message)));
      },
      { intervalMs: 200, what: 'the store to answer again' },
    );
    assert.equal((await other.take('after', 6, 2)).allowed, true);
    assert.equal((await other.take('after', 6, 2)).allowed, true);
    assert.equal((await cutOff.take('after', 6, 2)).allowed, false, 'counted across replicas again');
  });
});
