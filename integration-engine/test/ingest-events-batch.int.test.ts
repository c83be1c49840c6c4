import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createGenericEventBatchValidator, type GenericEvent, type Queryable } from '@repopulse/core';
import { createTestDatabase, testLogger, waitFor, type TestDatabase } from '@repopulse/core/testing';
import { addActivityDeltas } from '../src/activity/add-activity-deltas.js';
import { refreshActivityDays } from '../src/activity/refresh-activity-days.js';
import { TouchedDays } from '../src/activity/touched-days.js';
import { applyFactChange, applyFactChanges, type FactChange } from '../src/facts/apply-fact-change.js';
import { splitIntoRounds } from '../src/facts/batch-upsert-rounds.js';
import { createIngestEventsHandler } from '../src/ingest-events/handle-ingest-events.js';
import { genericEventToFact } from '../src/ingest-events/generic-event-to-fact.js';
import { upsertRepositories } from '../src/repositories/upsert-repositories.js';
import { upsertRepository } from '../src/repositories/upsert-repository.js';
import {
  batchEnvelope,
  commitEvent,
  forkEvent,
  issueEvent,
  nextSha,
  pullRequestEvent,
  releaseEvent,
  starEvent,
} from './event-builders.js';

const factTables = ['commits', 'pull_requests', 'issues', 'releases', 'stars', 'forks', 'activity_daily'];

/** A table's rows with the repository named rather than numbered (ids differ between two databases). */
async function tableRows(database: Queryable, table: string): Promise<string[]> {
  const { rows } = await database.query<{ row: string }>(
    `SELECT ((to_jsonb(t) - 'repository_id')
              || jsonb_build_object('repository', r.host || '/' || r.owner || '/' || r.name))::text AS row
     FROM ${table} t JOIN repositories r ON r.id = t.repository_id ORDER BY 1`,
  );
  return rows.map((row) => row.row);
}

/** The owners' rollup without its rows of nothing (a recount writes those; differences need not). */
async function ownerRows(database: Queryable): Promise<string[]> {
  const { rows } = await database.query<{ row: string }>(
    `SELECT to_jsonb(o)::text AS row FROM owner_activity o
      WHERE (o.commits, o.pull_requests_opened, o.pull_requests_merged, o.issues_opened, o.issues_closed,
             o.releases, o.stars, o.forks) <> (0, 0, 0, 0, 0, 0, 0, 0)
      ORDER BY 1`,
  );
  return rows.map((row) => row.row);
}

async function assertSameTables(actual: Queryable, expected: Queryable): Promise<void> {
  for (const table of factTables) {
    assert.deepEqual(await tableRows(actual, table), await tableRows(expected, table), table);
  }
  assert.deepEqual(await ownerRows(actual), await ownerRows(expected), 'owner rollup');
}

/** Touched (repository name, day) pairs, comparable across databases. */
async function touchedByName(database: Queryable, touched: TouchedDays): Promise<string[]> {
  const { repositoryIds, days } = touched.toColumns();
  const { rows } = await database.query<{ id: string; name: string }>(
    'SELECT id::text, name FROM repositories WHERE id = ANY($1::bigint[])',
    [repositoryIds],
  );
  const names = new Map(rows.map((row) => [row.id, row.name]));
  return repositoryIds.map((id, index) => `${names.get(id)}|${days[index]}`).sort();
}

/** A small deterministic generator (mulberry32), so a failing mix can be replayed. */
function randomSource(seed: number, days: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  const maybe = <T>(value: T): T | undefined => (next() < 0.5 ? value : undefined);
  const time = () =>
    new Date(Date.UTC(2026, 2, 1) + Math.floor(next() * days * 24 * 60) * 60_000).toISOString();
  return { next, pick, maybe, time };
}

/** Changes of every kind over `repositories` repositories, from a key space small enough to repeat often. */
function randomChanges(seed: number, count: number, repositories: number, days: number) {
  const { pick, maybe, time, next } = randomSource(seed, days);
  const logins = ['ann', 'bob', 'cid', 'dependabot[bot]'];
  const conversation = () => ({
    number: pick([1, 2, 3, 4]),
    title: maybe(`title ${Math.floor(next() * 100)}`),
    authorLogin: maybe(pick(logins)),
    createdAt: maybe(time()),
    closedAt: maybe(time()),
    eventAt: time(),
    githubId: maybe(pick([101, 102])),
    authorId: maybe(pick([7, 8])),
    authorIsBot: maybe(next() < 0.5),
    authorAssociation: maybe(pick(['OWNER', 'NONE'])),
    updatedAt: maybe(time()),
    response: maybe({ at: time(), login: pick(logins) }),
  });
  const kinds: Array<() => FactChange> = [
    () => ({
      kind: 'commit',
      fact: {
        sha: String(pick([1, 2, 3, 4, 5, 6])).padStart(40, '0'),
        authoredAt: time(),
        committedAt: maybe(time()),
        authorName: maybe(pick(['Ada', 'Bea'])),
        authorEmail: maybe(pick(['Ada@Example.org', 'bea@example.org'])),
        authorLogin: maybe(pick(logins)),
        message: maybe(pick(['fix', 'feat'])),
        additions: maybe(pick([1, 20])),
        deletions: maybe(pick([0, 3])),
        isMerge: next() < 0.2,
      },
    }),
    () => ({
      kind: 'pull_request',
      fact: {
        ...conversation(),
        state: maybe(pick(['open', 'closed', 'merged'] as const)),
        mergedAt: maybe(time()),
        isDraft: maybe(next() < 0.5),
        mergedByLogin: maybe(pick(logins)),
        approved: maybe(next() < 0.5),
      },
    }),
    () => ({
      kind: 'issue',
      fact: {
        ...conversation(),
        state: maybe(pick(['open', 'closed'] as const)),
        comments: maybe(pick([0, 5])),
      },
    }),
    () => ({
      kind: 'release',
      fact: {
        tag: pick(['v1', 'v2', 'v3']),
        name: maybe(pick(['one', 'two'])),
        publishedAt: time(),
        deleted: next() < 0.3,
        eventAt: time(),
      },
    }),
    () => ({ kind: 'star', fact: { actorLogin: pick(logins), starred: next() < 0.6, eventAt: time() } }),
    () => ({
      kind: 'fork',
      fact: {
        forkOwner: pick(logins),
        forkName: 'widgets',
        actorLogin: maybe(pick(logins)),
        forkedAt: time(),
      },
    }),
  ];
  return Array.from({ length: count }, () => ({
    repository: `repo-${Math.floor(next() * repositories)}`,
    change: pick(kinds)(),
  }));
}

type NamedChange = { repository: string; change: FactChange };

describe('set-based fact writes (real PostgreSQL)', () => {
  let batchSide: TestDatabase;
  let oneByOneSide: TestDatabase;

  before(async () => {
    [batchSide, oneByOneSide] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  after(async () => {
    await Promise.all([batchSide.drop(), oneByOneSide.drop()]);
  });
  beforeEach(async () => {
    for (const side of [batchSide, oneByOneSide]) {
      await side.database.query(
        'TRUNCATE repositories, processed_events, owner_activity_daily, owner_activity_changes CASCADE',
      );
    }
  });

  async function repositoryId(transaction: Queryable, name: string): Promise<string> {
    return upsertRepository(transaction, { host: 'github.com', owner: 'acme', name });
  }

  /** Applies the changes on both sides, one set-based and one change at a time; returns the touched days of each. */
  async function applyBothWays(changes: NamedChange[]): Promise<[string[], string[]]> {
    const batchTouched = new TouchedDays();
    await batchSide.database.transaction(async (transaction) => {
      const items = [];
      for (const { repository, change } of changes) {
        items.push({ repositoryId: await repositoryId(transaction, repository), change });
      }
      await applyFactChanges(transaction, items, batchTouched);
      await addActivityDeltas(transaction, batchTouched);
    });
    const oneByOneTouched = new TouchedDays();
    await oneByOneSide.database.transaction(async (transaction) => {
      for (const { repository, change } of changes) {
        await applyFactChange(
          transaction,
          await repositoryId(transaction, repository),
          change,
          oneByOneTouched,
        );
      }
      await refreshActivityDays(transaction, oneByOneTouched);
    });
    return [
      await touchedByName(batchSide.database, batchTouched),
      await touchedByName(oneByOneSide.database, oneByOneTouched),
    ];
  }

  test('splits a batch into rounds in which no key repeats, each key keeping its order', () => {
    const rounds = splitIntoRounds(['a1', 'b1', 'a2', 'c1', 'a3', 'b2'], (item) => item[0]!);
    assert.deepEqual(
      rounds.map((round) => round.map(([item]) => item)),
      [['a1', 'b1', 'c1'], ['a2', 'b2'], ['a3']],
    );
    assert.deepEqual(rounds[1], [
      ['a2', 'a'],
      ['b2', 'b'],
    ]);
  });

  test('leaves the facts and the touched days as applying each change in turn, and the rollups as a recount would', async () => {
    // Batches over state left by earlier ones, so changes meet stored rows, newer and older, as well as each
    // other. Dense batches repeat keys many times over a few days; sparse ones move facts between days no
    // other change touches, so a day left out of the touched ones would keep a stale count.
    const mixes = Array.from({ length: 30 }, (_, index) =>
      index % 10 === 0 ? { seed: index, count: 300, days: 5 } : { seed: index, count: 30, days: 90 },
    );
    for (const { seed, count, days } of mixes) {
      const [batchTouched, oneByOneTouched] = await applyBothWays(randomChanges(seed, count, 5, days));
      assert.deepEqual(batchTouched, oneByOneTouched, `touched days, seed ${seed}`);
      await assertSameTables(batchSide.database, oneByOneSide.database);
    }
    const { rows } = await batchSide.database.query<{ kinds: string }>(
      `SELECT (SELECT count(*) FROM commits) || '/' || (SELECT count(*) FROM pull_requests) || '/'
         || (SELECT count(*) FROM issues) || '/' || (SELECT count(*) FROM stars) AS kinds`,
    );
    // 5 repositories × (6 shas / 4 numbers / 4 numbers / 4 logins): every key was written, most many times.
    assert.equal(rows[0]?.kinds, '30/20/20/20');
  });

  test('keeps what a later change must not undo: the first merge, the earliest response, an approval', async () => {
    const at = (day: number, hour = 0) => new Date(Date.UTC(2026, 3, day, hour)).toISOString();
    const pullRequest = (fact: Partial<Extract<FactChange, { kind: 'pull_request' }>['fact']>) => ({
      repository: 'widgets',
      change: { kind: 'pull_request', fact: { number: 5, eventAt: at(1), ...fact } } as FactChange,
    });
    const changes = [
      pullRequest({ state: 'open', createdAt: at(2), eventAt: at(2), approved: true }),
      pullRequest({ state: 'merged', mergedAt: at(4), closedAt: at(4), eventAt: at(4) }),
      pullRequest({ createdAt: at(1), response: { at: at(3), login: 'bob' }, approved: false }),
      pullRequest({ state: 'open', eventAt: at(5), response: { at: at(2, 12), login: 'cid' } }),
      pullRequest({ state: 'merged', mergedAt: at(6), closedAt: at(6), eventAt: at(6) }),
    ];
    const [batchTouched, oneByOneTouched] = await applyBothWays(changes);
    assert.deepEqual(batchTouched, oneByOneTouched);
    await assertSameTables(batchSide.database, oneByOneSide.database);
    const { rows } = await batchSide.database.query(
      `SELECT state, approved, first_responder_login, created_at = $1 AS created_first, merged_at = $2 AS merged_first
       FROM pull_requests`,
      [at(1), at(4)],
    );
    assert.deepEqual(rows, [
      {
        state: 'merged',
        approved: true,
        first_responder_login: 'cid',
        created_first: true,
        merged_first: true,
      },
    ]);
  });

  test('finds or creates the repositories of a batch without regard to case, in the order given', async () => {
    const existing = await repositoryId(batchSide.database, 'Widgets');
    const ids = await batchSide.database.transaction((transaction) =>
      upsertRepositories(transaction, [
        { host: 'GitHub.com', owner: 'ACME', name: 'widgets' },
        { host: 'github.com', owner: 'acme', name: 'gadgets' },
        { host: 'gitlab.com', owner: 'acme', name: 'widgets' },
        { host: 'github.com', owner: 'Acme', name: 'Gadgets' },
      ]),
    );
    assert.equal(ids[0], existing);
    assert.equal(ids[1], ids[3]);
    assert.equal(new Set(ids).size, 3);
    const { rows } = await batchSide.database.query('SELECT host, owner, name FROM repositories ORDER BY id');
    assert.deepEqual(rows, [
      { host: 'github.com', owner: 'acme', name: 'Widgets' },
      { host: 'github.com', owner: 'acme', name: 'gadgets' },
      { host: 'gitlab.com', owner: 'acme', name: 'widgets' },
    ]);
  });

  test('the ingest.events handler ends where the one-event-at-a-time path ends, repeated keys included', async () => {
    const handler = createIngestEventsHandler(createGenericEventBatchValidator(1_000));
    const elsewhere = (event: GenericEvent, name: string): GenericEvent => ({
      ...event,
      repository: { host: 'github.com', owner: 'acme', name },
    });
    const sha = nextSha();
    const events: GenericEvent[] = [
      pullRequestEvent('opened', 1, '2026-05-01T09:00:00Z', { title: 'Add widgets' }),
      commitEvent('2026-05-01T10:00:00Z', { sha, message: 'first', additions: 3 }),
      pullRequestEvent('merged', 1, '2026-05-02T09:00:00Z'),
      starEvent('created', 'ann', '2026-05-01T12:00:00Z'),
      issueEvent('opened', 2, '2026-05-01T08:00:00Z'),
      commitEvent('2026-05-03T10:00:00Z', { sha, message: 'second', author: { name: 'Bea' } }),
      pullRequestEvent('closed', 1, '2026-05-03T09:00:00Z'),
      starEvent('deleted', 'ann', '2026-05-02T12:00:00Z'),
      releaseEvent('published', 'v1', '2026-05-02T00:00:00Z'),
      forkEvent('bob', '2026-05-02T00:00:00Z'),
      issueEvent('closed', 2, '2026-05-04T08:00:00Z'),
      ...Array.from({ length: 40 }, (_, index) =>
        elsewhere(commitEvent(`2026-05-0${1 + (index % 5)}T00:00:00Z`), `repo-${index % 8}`),
      ),
      elsewhere(pullRequestEvent('opened', 1, '2026-05-01T00:00:00Z'), 'repo-3'),
      elsewhere(starEvent('created', 'ann', '2026-05-04T00:00:00Z'), 'repo-3'),
    ];
    const followUps = await batchSide.database.transaction((transaction) =>
      handler({ envelope: batchEnvelope(events), transaction, logger: testLogger() }),
    );
    assert.equal(followUps?.length, 9);
    const byRepository = (event: GenericEvent) => `${event.repository.owner}/${event.repository.name}`;
    await oneByOneSide.database.transaction(async (transaction) => {
      const touched = new TouchedDays();
      for (const event of [...events].sort((a, b) => byRepository(a).localeCompare(byRepository(b)))) {
        const id = await upsertRepository(transaction, event.repository);
        await applyFactChange(transaction, id, genericEventToFact(event), touched);
      }
      await refreshActivityDays(transaction, touched);
    });
    await assertSameTables(batchSide.database, oneByOneSide.database);
    const { rows } = await batchSide.database.query(
      `SELECT (SELECT state FROM pull_requests JOIN repositories r ON r.id = repository_id WHERE r.name = 'widgets') AS pr,
              (SELECT unstarred_at IS NOT NULL FROM stars JOIN repositories r ON r.id = repository_id
                 WHERE r.name = 'widgets') AS unstarred,
              (SELECT to_char(authored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ' ' || message || ' ' || additions
                 || ' ' || author_name || ' ' || author_email FROM commits WHERE sha = $1) AS commit`,
      [sha],
    );
    assert.deepEqual(rows[0], {
      pr: 'merged',
      unstarred: true,
      commit: '2026-05-03 second 3 Bea ada@example.org',
    });
  });

  describe('two batches of one repository at once (no repository lock between them)', () => {
    const handler = createIngestEventsHandler(createGenericEventBatchValidator(1_000));
    const database = () => batchSide.database;
    const ingestIn = (transaction: Queryable, events: GenericEvent[]) =>
      handler({ envelope: batchEnvelope(events), transaction, logger: testLogger() });

    /** The first batch writes and holds its locks; the second runs until it waits on them; then the first commits. */
    async function overlapping(first: GenericEvent[], second: GenericEvent[]): Promise<void> {
      let releaseFirst!: () => void;
      const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
      let firstWrote!: () => void;
      const firstHasWritten = new Promise<void>((resolve) => (firstWrote = resolve));
      const firstDone = database().transaction(async (transaction) => {
        await ingestIn(transaction, first);
        firstWrote();
        await firstMayCommit;
      });
      await firstHasWritten;
      const secondDone = database().transaction((transaction) => ingestIn(transaction, second));
      await waitFor(
        async () => {
          const waiting = await database().query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          return waiting.rowCount! > 0;
        },
        { timeoutMs: 5_000, what: 'the second batch to wait for the first' },
      );
      releaseFirst();
      await Promise.all([firstDone, secondDone]);
    }

    /** The rollup's commit counts, and the same counted from the facts: they must be equal. */
    async function commitDays(): Promise<[Record<string, number>, Record<string, number>]> {
      const rollup = await database().query<{ day: string; commits: number }>(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, commits FROM activity_daily WHERE commits > 0 ORDER BY day`,
      );
      const counted = await database().query<{ day: string; commits: number }>(
        `SELECT to_char(authored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::integer AS commits
         FROM commits WHERE NOT is_merge GROUP BY 1 ORDER BY 1`,
      );
      const byDay = (rows: Array<{ day: string; commits: number }>) =>
        Object.fromEntries(rows.map((row) => [row.day, row.commits]));
      return [byDay(rollup.rows), byDay(counted.rows)];
    }

    test('both count on the day they share: the later recount sees the earlier batch', async () => {
      // The repository exists already, so the second batch waits on nothing before the day's rollup row.
      await database().transaction((transaction) =>
        ingestIn(transaction, [commitEvent('2026-08-31T00:00:00Z')]),
      );
      await overlapping(
        [commitEvent('2026-09-01T01:00:00Z'), commitEvent('2026-09-01T02:00:00Z')],
        [commitEvent('2026-09-01T03:00:00Z')],
      );
      const [rollup, counted] = await commitDays();
      assert.deepEqual(rollup, { '2026-08-31': 1, '2026-09-01': 3 });
      assert.deepEqual(rollup, counted);
    });

    test('both move one commit: the later sees where the earlier put it, and that day loses it', async () => {
      const sha = nextSha();
      await database().transaction((transaction) =>
        ingestIn(transaction, [commitEvent('2026-09-10T00:00:00Z', { sha })]),
      );
      await overlapping(
        [commitEvent('2026-09-11T00:00:00Z', { sha })],
        [commitEvent('2026-09-12T00:00:00Z', { sha })],
      );
      const [rollup, counted] = await commitDays();
      assert.deepEqual(rollup, { '2026-09-12': 1 });
      assert.deepEqual(rollup, counted);
    });
  });
});
