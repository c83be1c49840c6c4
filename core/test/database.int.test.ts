import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import {
  createDatabase,
  ensureDatabaseExists,
  isDatabaseConnectionError,
  isTransientDatabaseError,
  migrateDatabase,
  migrationsDirectory,
  type Database,
} from '../src/index.js';
import {
  createTestDatabase,
  startTcpProxy,
  testLogger,
  waitFor,
  type TestDatabase,
} from '../src/testing/index.js';

const migrationNames = readdirSync(migrationsDirectory)
  .filter((file) => file.endsWith('.sql'))
  .map((file) => file.replace(/\.sql$/, ''))
  .sort();

/** A PostgreSQL error as pg reports it: the SQLSTATE in `code`. */
function postgresError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

function urlWithDatabase(url: string, name: string): string {
  const result = new URL(url);
  result.pathname = `/${name}`;
  return result.toString();
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlWithDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

describe('database (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let database: Database;

  before(async () => {
    testDatabase = await createTestDatabase();
    database = testDatabase.database;
    await database.query('CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL)');
  });

  after(async () => {
    await testDatabase.drop();
  });

  async function noteIds(): Promise<number[]> {
    const result = await database.query<{ id: number }>('SELECT id FROM notes ORDER BY id');
    return result.rows.map((row) => row.id);
  }

  describe('transaction', () => {
    test('commits every write of the work and returns its result', async () => {
      const result = await database.transaction(async (transaction) => {
        await transaction.query('INSERT INTO notes VALUES ($1, $2)', [1, 'first']);
        await transaction.query('INSERT INTO notes VALUES ($1, $2)', [2, 'second']);
        return 'done';
      });
      assert.equal(result, 'done');
      assert.deepEqual(await noteIds(), [1, 2]);
    });

    test('hides its writes from other connections until it commits', async () => {
      await database.transaction(async (transaction) => {
        await transaction.query('INSERT INTO notes VALUES ($1, $2)', [3, 'pending']);
        assert.ok(!(await noteIds()).includes(3), 'not visible outside before the commit');
      });
      assert.ok((await noteIds()).includes(3));
    });

    test('rolls back every write when the work throws, and rethrows the error', async () => {
      const before = await noteIds();
      const failure = new Error('the handler gave up');
      await assert.rejects(
        database.transaction(async (transaction) => {
          await transaction.query('INSERT INTO notes VALUES ($1, $2)', [10, 'doomed']);
          throw failure;
        }),
        (error) => error === failure,
      );
      assert.deepEqual(await noteIds(), before);
    });

    test('reruns the whole work after a serialisation failure (40001) from PostgreSQL', async () => {
      let calls = 0;
      const result = await database.transaction(async (transaction) => {
        calls++;
        await transaction.query('INSERT INTO notes VALUES ($1, $2)', [20, `attempt ${calls}`]);
        if (calls === 1) {
          await transaction.query(
            "DO $$ BEGIN RAISE EXCEPTION 'could not serialize access' USING ERRCODE = 'serialization_failure'; END $$",
          );
        }
        return calls;
      });
      assert.equal(result, 2);
      const rows = await database.query<{ body: string }>('SELECT body FROM notes WHERE id = 20');
      assert.deepEqual(rows.rows, [{ body: 'attempt 2' }], 'the first attempt left nothing behind');
    });

    test('reruns the work when it throws an error carrying a transient code', async () => {
      const codes = ['40001', '40P01'];
      let calls = 0;
      await database.transaction(async () => {
        calls++;
        const code = codes[calls - 1];
        if (code) throw postgresError(code, 'transient');
      });
      assert.equal(calls, 3);
    });

    test('survives its session being ended between two statements (a restart) and runs the work again on a fresh connection', async () => {
      let calls = 0;
      const result = await database.transaction(async (transaction) => {
        calls++;
        const { rows } = await transaction.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        if (calls === 1) {
          // As a restart does to every session: the server ends this one while the work is between statements.
          await database.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
          await waitFor(
            async () =>
              (await database.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [rows[0]!.pid]))
                .rowCount === 0,
          );
        }
        await transaction.query('INSERT INTO notes VALUES ($1, $2)', [30, `attempt ${calls}`]);
        return calls;
      });
      assert.equal(result, 2);
      const rows = await database.query<{ body: string }>('SELECT body FROM notes WHERE id = 30');
      assert.deepEqual(rows.rows, [{ body: 'attempt 2' }]);
    });

    test('survives the server ending a session in the very answer that hands its connection to a waiting transaction', async () => {
      // The answer to a query and the FATAL of a restart arrive in one read: the connection goes from the
      // query to the waiting transaction and is ended in the same breath. A network in between holds back
      // both until they are there.
      const url = new URL(testDatabase.url);
      const network = await startTcpProxy(Number(url.port || 5432), url.hostname);
      url.port = String(network.port);
      const single = createDatabase({ url: url.toString(), logger: testLogger(), maxConnections: 1 });
      try {
        const { rows } = await single.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const pid = rows[0]!.pid;
        network.stall();
        const answered = single.query("SELECT 'answered before the end' AS note");
        let calls = 0;
        const committed = single.transaction(async (transaction) => {
          calls++;
          await transaction.query('SELECT 1');
          return calls;
        });
        await waitFor(
          async () =>
            (
              await database.query(
                `SELECT 1 FROM pg_stat_activity
                  WHERE pid = $1 AND state = 'idle' AND query LIKE '%answered before the end%'`,
                [pid],
              )
            ).rowCount === 1,
        );
        await database.query('SELECT pg_terminate_backend($1)', [pid]);
        await waitFor(
          async () =>
            (await database.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 0,
        );
        network.flow();
        assert.equal((await answered).rowCount, 1);
        assert.ok((await committed) >= 1, 'the transaction ran on a fresh connection');
      } finally {
        await single.close();
        await network.close();
      }
    });

    test('rethrows a non-transient error at once, without a second attempt', async () => {
      let calls = 0;
      await assert.rejects(
        database.transaction(async (transaction) => {
          calls++;
          await transaction.query('INSERT INTO notes VALUES ($1, $2)', [1, 'duplicate']);
        }),
        (error: { code?: string }) => error.code === '23505',
      );
      assert.equal(calls, 1);
    });

    test('gives up on a transient error after a bounded number of attempts', async () => {
      let calls = 0;
      await assert.rejects(
        database.transaction(async () => {
          calls++;
          throw postgresError('40P01', 'deadlock detected');
        }),
        /deadlock detected/,
      );
      assert.equal(calls, 5);
    });

    test('returns its connection to the pool whatever happens', async () => {
      const small = createDatabase({ url: testDatabase.url, logger: testLogger(), maxConnections: 1 });
      try {
        for (let i = 0; i < 3; i++) {
          await assert.rejects(
            small.transaction(async () => {
              throw new Error('fail');
            }),
          );
        }
        assert.equal(
          await small.transaction(async (transaction) => (await transaction.query('SELECT 1')).rowCount),
          1,
        );
      } finally {
        await small.close();
      }
    });
  });

  test('tells transient database errors from real ones', () => {
    for (const code of ['40001', '40P01', '57P01', '57P03', '08006', 'ECONNRESET', 'ECONNREFUSED']) {
      assert.equal(isTransientDatabaseError(postgresError(code, 'x')), true, code);
    }
    assert.equal(isTransientDatabaseError(new Error('Connection terminated unexpectedly')), true);
    assert.equal(
      isTransientDatabaseError(new Error('Client has encountered a connection error and is not queryable')),
      true,
    );
    for (const code of ['23505', '42P01', '22P02']) {
      assert.equal(isTransientDatabaseError(postgresError(code, 'x')), false, code);
    }
    assert.equal(isTransientDatabaseError(new Error('plain')), false);
    assert.equal(isTransientDatabaseError(null), false);
  });

  test('tells PostgreSQL being away from contention and from errors of the statement', () => {
    for (const code of ['57P01', '57P03', '08001', '08006', 'ECONNREFUSED', 'ETIMEDOUT']) {
      assert.equal(isDatabaseConnectionError(postgresError(code, 'x')), true, code);
    }
    assert.equal(isDatabaseConnectionError(new Error('timeout exceeded when trying to connect')), true);
    const refusedTwice = new AggregateError([
      postgresError('ECONNREFUSED', 'x'),
      postgresError('ECONNREFUSED', 'y'),
    ]);
    assert.equal(isDatabaseConnectionError(refusedTwice), true, 'a host name with two addresses');
    assert.equal(
      isDatabaseConnectionError(new Error('crawl failed', { cause: postgresError('57P01', 'terminating') })),
      true,
    );
    for (const code of ['40001', '40P01', '23505', '42P01']) {
      assert.equal(isDatabaseConnectionError(postgresError(code, 'x')), false, code);
    }
    assert.equal(isDatabaseConnectionError(undefined), false);
  });

  test('answers ping and closes safely twice', async () => {
    const other = createDatabase({ url: testDatabase.url, logger: testLogger() });
    await other.ping();
    await Promise.all([other.close(), other.close()]);
    await other.close();
  });

  describe('migrateDatabase', () => {
    test('applies nothing to a database that is already migrated', async () => {
      assert.deepEqual(await migrateDatabase(testDatabase.url, testLogger()), []);
    });

    test('two concurrent runs on a fresh database both succeed and apply each migration once', async () => {
      const name = `repopulse_test_fresh_${randomBytes(6).toString('hex')}`;
      const url = urlWithDatabase(testDatabase.url, name);
      await ensureDatabaseExists(url);
      try {
        await ensureDatabaseExists(url); // a second call finds it and does nothing
        const [first, second] = await Promise.all([
          migrateDatabase(url, testLogger()),
          migrateDatabase(url, testLogger()),
        ]);
        assert.deepEqual(
          [...first, ...second].sort(),
          migrationNames,
          'every migration applied by exactly one run',
        );

        const fresh = createDatabase({ url, logger: testLogger() });
        try {
          const recorded = await fresh.query<{ name: string }>(
            'SELECT name FROM schema_migrations ORDER BY name',
          );
          assert.deepEqual(
            recorded.rows.map((row) => row.name),
            migrationNames,
          );
          const tables = await fresh.query<{ repositories: string | null }>(
            "SELECT to_regclass('public.repositories')::text AS repositories",
          );
          assert.equal(tables.rows[0]?.repositories, 'repositories');
        } finally {
          await fresh.close();
        }
        assert.deepEqual(await migrateDatabase(url, testLogger()), [], 'a third run finds nothing to do');
      } finally {
        await dropDatabase(testDatabase.url, name);
      }
    });
  });
});
