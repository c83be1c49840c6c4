import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  createGenericEventBatchValidator,
  type GenericEvent,
  type Queryable,
  type RepositoryReference,
} from '@repopulse/core';
import { createTestDatabase, testLogger, type TestDatabase } from '@repopulse/core/testing';
import { foldOwnerActivityChanges } from '../src/activity/fold-owner-activity-changes.js';
import { refreshActivityDays } from '../src/activity/refresh-activity-days.js';
import { TouchedDays } from '../src/activity/touched-days.js';
import { createIngestEventsHandler } from '../src/ingest-events/handle-ingest-events.js';
import {
  batchEnvelope,
  commitEvent,
  forkEvent,
  issueEvent,
  pullRequestEvent,
  releaseEvent,
  starEvent,
} from './event-builders.js';

type Counts = Record<
  | 'commits'
  | 'pull_requests_opened'
  | 'pull_requests_merged'
  | 'issues_opened'
  | 'issues_closed'
  | 'releases'
  | 'stars'
  | 'forks',
  number
>;
type OwnerDays = Record<string, Counts>;

const counters = `commits, pull_requests_opened, pull_requests_merged, issues_opened, issues_closed, releases,
  stars, forks`;

const zero: Counts = {
  commits: 0,
  pull_requests_opened: 0,
  pull_requests_merged: 0,
  issues_opened: 0,
  issues_closed: 0,
  releases: 0,
  stars: 0,
  forks: 0,
};

// The builders' events are for github.com/acme/widgets; gadgets is another repository of that owner.
const gadgets = { host: 'github.com', owner: 'Acme', name: 'gadgets' };
const elsewhere = { host: 'gitlab.example.org', owner: 'acme', name: 'widgets' };
const otherOwner = { host: 'github.com', owner: 'globex', name: 'widgets' };

/** The same event for another repository. */
function on(repository: RepositoryReference, event: GenericEvent): GenericEvent {
  return { ...event, repository };
}

describe('owner activity rollup (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  const handler = createIngestEventsHandler(createGenericEventBatchValidator(1_000));
  const logger = testLogger();

  before(async () => {
    testDatabase = await createTestDatabase();
  });
  after(async () => {
    await testDatabase.drop();
  });
  beforeEach(async () => {
    await testDatabase.database.query(
      'TRUNCATE repositories, processed_events, owner_activity_daily, owner_activity_changes CASCADE',
    );
  });

  function ingestIn(transaction: Queryable, events: GenericEvent[]) {
    return handler({ envelope: batchEnvelope(events), transaction, logger });
  }

  function ingest(events: GenericEvent[]) {
    return testDatabase.database.transaction((transaction) => ingestIn(transaction, events));
  }

  /** The owner rollup as stored, keyed "host/owner/day", days where something happened only. */
  async function ownerDays(): Promise<OwnerDays> {
    return keyed(
      `SELECT host || '/' || owner_key || '/' || to_char(day, 'YYYY-MM-DD') AS key, ${counters}
         FROM owner_activity`,
    );
  }

  /** What the owner rollup must hold: activity_daily summed over each owner's repositories. */
  async function summedRepositoryDays(): Promise<OwnerDays> {
    return keyed(
      `SELECT lower(r.host) || '/' || lower(r.owner) || '/' || to_char(a.day, 'YYYY-MM-DD') AS key,
              sum(a.commits)::int AS commits, sum(a.pull_requests_opened)::int AS pull_requests_opened,
              sum(a.pull_requests_merged)::int AS pull_requests_merged, sum(a.issues_opened)::int AS issues_opened,
              sum(a.issues_closed)::int AS issues_closed, sum(a.releases)::int AS releases,
              sum(a.stars)::int AS stars, sum(a.forks)::int AS forks
         FROM activity_daily a JOIN repositories r ON r.id = a.repository_id
        GROUP BY 1`,
    );
  }

  async function keyed(sql: string): Promise<OwnerDays> {
    const { rows } = await testDatabase.database.query<{ key: string } & Counts>(sql);
    const nonZero = rows.filter(({ key: _key, ...counts }) =>
      Object.values(counts).some((value) => value !== 0),
    );
    return Object.fromEntries(
      nonZero.sort((a, b) => a.key.localeCompare(b.key)).map(({ key, ...counts }) => [key, counts]),
    );
  }

  async function assertRollupIsTheSum(): Promise<OwnerDays> {
    const stored = await ownerDays();
    assert.deepEqual(stored, await summedRepositoryDays());
    return stored;
  }

  test("sums the owner's repositories per day, whatever the owner's case, apart from other hosts and owners", async () => {
    await ingest([
      commitEvent('2026-03-01T10:00:00Z'),
      on(gadgets, commitEvent('2026-03-01T11:00:00Z')),
      on(gadgets, commitEvent('2026-03-01T12:00:00Z')),
      on(gadgets, pullRequestEvent('opened', 1, '2026-03-01T13:00:00Z')),
      on(elsewhere, commitEvent('2026-03-01T10:00:00Z')),
      on(otherOwner, starEvent('created', 'ann', '2026-03-01T10:00:00Z')),
      issueEvent('opened', 4, '2026-03-02T00:00:00Z'),
      releaseEvent('published', 'v1', '2026-03-02T01:00:00Z'),
      forkEvent('someone', '2026-03-02T02:00:00Z'),
    ]);
    assert.deepEqual(await assertRollupIsTheSum(), {
      'github.com/acme/2026-03-01': { ...zero, commits: 3, pull_requests_opened: 1 },
      'github.com/acme/2026-03-02': { ...zero, issues_opened: 1, releases: 1, forks: 1 },
      'github.com/globex/2026-03-01': { ...zero, stars: 1 },
      'gitlab.example.org/acme/2026-03-01': { ...zero, commits: 1 },
    });
  });

  test('adds a later batch for another repository of the owner to the day instead of replacing it', async () => {
    await ingest([commitEvent('2026-04-01T00:00:00Z'), starEvent('created', 'ann', '2026-04-01T05:00:00Z')]);
    await ingest([on(gadgets, commitEvent('2026-04-01T06:00:00Z'))]);
    await ingest([on(gadgets, starEvent('created', 'bob', '2026-04-01T07:00:00Z'))]);
    assert.deepEqual(await assertRollupIsTheSum(), {
      'github.com/acme/2026-04-01': { ...zero, commits: 2, stars: 2 },
    });
  });

  test('follows a fact that moves to another day: the old day loses it, the new day gains it', async () => {
    await ingest([
      starEvent('created', 'bob', '2026-07-01T00:00:00Z'),
      on(gadgets, starEvent('created', 'ann', '2026-07-01T00:00:00Z')),
      issueEvent('opened', 3, '2026-07-01T01:00:00Z'),
      issueEvent('closed', 3, '2026-07-02T00:00:00Z'),
    ]);
    assert.deepEqual(await assertRollupIsTheSum(), {
      'github.com/acme/2026-07-01': { ...zero, stars: 2, issues_opened: 1 },
      'github.com/acme/2026-07-02': { ...zero, issues_closed: 1 },
    });
    // Starring again later moves bob's star; a reopen and a later close move the issue's close.
    await ingest([starEvent('created', 'bob', '2026-07-09T00:00:00Z')]);
    await ingest([issueEvent('reopened', 3, '2026-07-03T00:00:00Z')]);
    await ingest([issueEvent('closed', 3, '2026-07-05T00:00:00Z')]);
    assert.deepEqual(await assertRollupIsTheSum(), {
      'github.com/acme/2026-07-01': { ...zero, stars: 1, issues_opened: 1 },
      'github.com/acme/2026-07-05': { ...zero, issues_closed: 1 },
      'github.com/acme/2026-07-09': { ...zero, stars: 1 },
    });
  });

  test('takes a star back: the day it was given counts it no more', async () => {
    await ingest([starEvent('created', 'ann', '2026-08-01T00:00:00Z')]);
    await ingest([starEvent('deleted', 'ann', '2026-08-03T00:00:00Z')]);
    assert.deepEqual(await assertRollupIsTheSum(), {});
    const stored = await testDatabase.database.query(
      `SELECT stars FROM owner_activity WHERE owner_key = 'acme' AND day = '2026-08-01'`,
    );
    assert.deepEqual(stored.rows, [{ stars: 0 }]);
  });

  test('two repositories of one owner written at once on one day: neither waits for the other, neither is lost', async () => {
    await ingest([commitEvent('2026-09-01T00:00:00Z')]);
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstWrote!: () => void;
    const firstHasWritten = new Promise<void>((resolve) => (firstWrote = resolve));
    // The first transaction writes and stays open; the second, another repository of the owner on the same
    // day, commits meanwhile: owners' changes are appended, so it waits on no row of the first.
    const first = testDatabase.database.transaction(async (transaction) => {
      await ingestIn(transaction, [commitEvent('2026-09-01T01:00:00Z'), commitEvent('2026-09-01T02:00:00Z')]);
      firstWrote();
      await firstMayCommit;
    });
    await firstHasWritten;
    await ingest([on(gadgets, commitEvent('2026-09-01T03:00:00Z'))]);
    assert.deepEqual(await assertRollupIsTheSum(), {
      'github.com/acme/2026-09-01': { ...zero, commits: 2 },
    });
    releaseFirst();
    await first;
    assert.deepEqual(await assertRollupIsTheSum(), {
      'github.com/acme/2026-09-01': { ...zero, commits: 4 },
    });
  });

  test('folding the appended changes leaves what readers see as it was, beside recounting writers too', async () => {
    const pending = async () =>
      (
        await testDatabase.database.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM owner_activity_changes',
        )
      ).rows[0]!.n;
    await ingest([
      commitEvent('2026-11-01T00:00:00Z'),
      commitEvent('2026-11-02T00:00:00Z'),
      on(gadgets, commitEvent('2026-11-02T00:00:00Z')),
    ]);
    const before = await assertRollupIsTheSum();
    assert.ok((await pending()) > 0);
    assert.equal(await foldOwnerActivityChanges(testDatabase.database), 2, 'two (owner, day) rows moved');
    assert.equal(await pending(), 0);
    assert.deepEqual(await assertRollupIsTheSum(), before);

    // Changes pending again, then a writer that recounts the days (webhooks, crawls), then a fold.
    await ingest([commitEvent('2026-11-02T05:00:00Z'), on(gadgets, commitEvent('2026-11-03T00:00:00Z'))]);
    await testDatabase.database.transaction(async (transaction) => {
      const { rows } = await transaction.query<{ id: string }>(
        `SELECT id::text FROM repositories WHERE name = 'widgets'`,
      );
      const touched = new TouchedDays();
      touched.add(rows[0]!.id, '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z');
      await refreshActivityDays(transaction, touched);
    });
    const expected = {
      'github.com/acme/2026-11-01': { ...zero, commits: 1 },
      'github.com/acme/2026-11-02': { ...zero, commits: 3 },
      'github.com/acme/2026-11-03': { ...zero, commits: 1 },
    };
    assert.deepEqual(await assertRollupIsTheSum(), expected);
    await foldOwnerActivityChanges(testDatabase.database);
    assert.deepEqual(await assertRollupIsTheSum(), expected);
  });

  test('a repository deleted, or moved to another owner, takes its activity along', async () => {
    await ingest([
      commitEvent('2026-10-01T00:00:00Z'),
      on(gadgets, commitEvent('2026-10-01T00:00:00Z')),
      on(gadgets, commitEvent('2026-10-02T00:00:00Z')),
    ]);
    await testDatabase.database.query(`UPDATE repositories SET owner = 'Initech' WHERE name = 'gadgets'`);
    assert.deepEqual(await assertRollupIsTheSum(), {
      'github.com/acme/2026-10-01': { ...zero, commits: 1 },
      'github.com/initech/2026-10-01': { ...zero, commits: 1 },
      'github.com/initech/2026-10-02': { ...zero, commits: 1 },
    });
    await testDatabase.database.query(`DELETE FROM repositories WHERE name = 'widgets'`);
    assert.deepEqual(await assertRollupIsTheSum(), {
      'github.com/initech/2026-10-01': { ...zero, commits: 1 },
      'github.com/initech/2026-10-02': { ...zero, commits: 1 },
    });
  });
});
