import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createGenericEventBatchValidator, type GenericEvent } from '@repopulse/core';
import { createTestDatabase, testLogger, type TestDatabase } from '@repopulse/core/testing';
import { createIngestEventsHandler } from '../src/ingest-events/handle-ingest-events.js';
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

type Day = {
  day: string;
  commits: number;
  pull_requests_opened: number;
  pull_requests_merged: number;
  issues_opened: number;
  issues_closed: number;
  releases: number;
  stars: number;
  forks: number;
};

describe('ingest.events handler (real PostgreSQL)', () => {
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
    await testDatabase.database.query('TRUNCATE repositories, processed_events, rejected_events CASCADE');
  });

  async function ingest(events: GenericEvent[], source?: string) {
    return testDatabase.database.transaction((transaction) =>
      handler({ envelope: batchEnvelope(events, source), transaction, logger }),
    );
  }

  async function days(): Promise<Record<string, Omit<Day, 'day'>>> {
    const { rows } = await testDatabase.database.query<Day>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, commits, pull_requests_opened, pull_requests_merged, issues_opened,
              issues_closed, releases, stars, forks
       FROM activity_daily WHERE commits + pull_requests_opened + pull_requests_merged + issues_opened + issues_closed
         + releases + stars + forks > 0 ORDER BY day`,
    );
    return Object.fromEntries(rows.map(({ day, ...counts }) => [day, counts]));
  }

  const zero = {
    commits: 0,
    pull_requests_opened: 0,
    pull_requests_merged: 0,
    issues_opened: 0,
    issues_closed: 0,
    releases: 0,
    stars: 0,
    forks: 0,
  };

  test('counts commits by the UTC day of their author date, leaving merge commits out', async () => {
    await ingest([
      commitEvent('2026-03-01T23:59:59Z'),
      commitEvent('2026-03-02T00:00:00Z'),
      // 01:30 at UTC+02:00 is 23:30 UTC the day before
      commitEvent('2026-03-02T01:30:00+02:00'),
      commitEvent('2026-03-02T12:00:00Z', { parents: [nextSha(), nextSha()] }),
    ]);
    assert.deepEqual(await days(), {
      '2026-03-01': { ...zero, commits: 2 },
      '2026-03-02': { ...zero, commits: 1 },
    });
  });

  test('follows a pull request from opened to merged, and issues through a reopen to their last close', async () => {
    await ingest([
      pullRequestEvent('opened', 7, '2026-04-01T10:00:00Z'),
      issueEvent('opened', 3, '2026-04-01T11:00:00Z'),
    ]);
    await ingest([
      pullRequestEvent('merged', 7, '2026-04-03T10:00:00Z'),
      issueEvent('closed', 3, '2026-04-02T09:00:00Z'),
    ]);
    await ingest([issueEvent('reopened', 3, '2026-04-04T09:00:00Z')]);
    await ingest([issueEvent('closed', 3, '2026-04-05T09:00:00Z')]);
    assert.deepEqual(await days(), {
      '2026-04-01': { ...zero, pull_requests_opened: 1, issues_opened: 1 },
      '2026-04-03': { ...zero, pull_requests_merged: 1 },
      '2026-04-05': { ...zero, issues_closed: 1 },
    });
    const pr = await testDatabase.database.query(
      'SELECT state, closed_at FROM pull_requests WHERE number = 7',
    );
    assert.equal(pr.rows[0]?.state, 'merged');
  });

  test('an older event arriving late does not undo a newer state', async () => {
    await ingest([
      issueEvent('opened', 9, '2026-05-01T00:00:00Z'),
      issueEvent('closed', 9, '2026-05-03T00:00:00Z'),
    ]);
    await ingest([issueEvent('reopened', 9, '2026-05-02T00:00:00Z')]);
    const issue = await testDatabase.database.query<{ state: string }>(
      'SELECT state FROM issues WHERE number = 9',
    );
    assert.equal(issue.rows[0]?.state, 'closed');
    assert.deepEqual((await days())['2026-05-03'], { ...zero, issues_closed: 1 });
  });

  test('a pull request closed without merge counts as neither merged nor reopened', async () => {
    await ingest([
      pullRequestEvent('opened', 1, '2026-06-01T00:00:00Z'),
      pullRequestEvent('closed', 1, '2026-06-02T00:00:00Z'),
    ]);
    await ingest([
      pullRequestEvent('closed', 2, '2026-06-02T05:00:00Z', {
        createdAt: '2026-06-01T05:00:00Z',
        mergedAt: '2026-06-02T05:00:00Z',
      }),
    ]);
    assert.deepEqual(await days(), {
      '2026-06-01': { ...zero, pull_requests_opened: 2 },
      '2026-06-02': { ...zero, pull_requests_merged: 1 },
    });
  });

  test('stars count net of unstars, releases net of deletions, forks once', async () => {
    await ingest([
      starEvent('created', 'ann', '2026-07-01T00:00:00Z'),
      starEvent('created', 'bob', '2026-07-01T01:00:00Z'),
      starEvent('deleted', 'bob', '2026-07-02T00:00:00Z'),
      releaseEvent('published', 'v1.0.0', '2026-07-01T00:00:00Z'),
      releaseEvent('published', 'v1.0.1', '2026-07-01T02:00:00Z'),
      releaseEvent('deleted', 'v1.0.1', '2026-07-03T00:00:00Z'),
      forkEvent('someone', '2026-07-01T03:00:00Z'),
      forkEvent('someone', '2026-07-05T03:00:00Z'),
    ]);
    assert.deepEqual(await days(), { '2026-07-01': { ...zero, stars: 1, releases: 1, forks: 1 } });
    // Starring again later moves the star to its new day.
    await ingest([starEvent('created', 'bob', '2026-07-09T00:00:00Z')]);
    assert.deepEqual((await days())['2026-07-09'], { ...zero, stars: 1 });
  });

  test('a resent event (same source and id) changes nothing, and another source with the same id does', async () => {
    const opened = pullRequestEvent('opened', 7, '2026-08-01T00:00:00Z', { title: 'First title' });
    const renamed = pullRequestEvent('edited', 7, '2026-08-02T00:00:00Z', { title: 'Second title' });
    const title = async () =>
      (await testDatabase.database.query('SELECT title FROM pull_requests WHERE number = 7')).rows[0]?.title;
    await ingest([opened]);
    await ingest([renamed]);
    await ingest([opened]);
    assert.equal(await title(), 'Second title', 'the resent event did not set the title back');
    assert.deepEqual(await days(), { '2026-08-01': { ...zero, pull_requests_opened: 1 } });
    await ingest([opened], 'another-supplier');
    assert.equal(await title(), 'First title', "another supplier's event of the same id is its own");
  });

  test('a resent commit changes nothing: its sha is its key, whatever the event id', async () => {
    const event = commitEvent('2026-08-01T00:00:00Z', { message: 'Add widgets', additions: 3 });
    await ingest([event]);
    await ingest([event]);
    await ingest([{ ...event, id: 'another-id' }], 'another-supplier');
    assert.deepEqual(await days(), { '2026-08-01': { ...zero, commits: 1 } });
    const { rows } = await testDatabase.database.query('SELECT message, additions FROM commits');
    assert.deepEqual(rows, [{ message: 'Add widgets', additions: 3 }]);
    const dedup = await testDatabase.database.query('SELECT count(*)::int AS n FROM processed_events');
    assert.equal(dedup.rows[0]?.n, 0, 'commits need no dedup rows');
  });

  test('treats owner and name without regard to case, and returns one metrics.compute per repository', async () => {
    const lower = commitEvent('2026-09-01T00:00:00Z');
    const upper = {
      ...commitEvent('2026-09-01T00:00:00Z'),
      repository: { host: 'GitHub.com', owner: 'ACME', name: 'Widgets' },
    };
    const other = {
      ...commitEvent('2026-09-01T00:00:00Z'),
      repository: { host: 'gitlab.com', owner: 'acme', name: 'widgets' },
    };
    const followUps = await ingest([lower, upper, other]);
    const repositories = await testDatabase.database.query('SELECT host FROM repositories ORDER BY host');
    assert.deepEqual(
      repositories.rows.map((row) => row.host),
      ['github.com', 'gitlab.com'],
    );
    assert.equal(followUps?.length, 2);
    for (const followUp of followUps ?? []) {
      assert.equal(followUp.type, 'metrics.compute');
      assert.equal(
        followUp.coalesceKey,
        `metrics.compute:${(followUp.payload as { repositoryId: string }).repositoryId}`,
      );
    }
  });

  test('sets a payload that is no valid batch aside as one rejected event, writing nothing else', async () => {
    const envelope = batchEnvelope([{ type: 'commit' } as unknown as GenericEvent]);
    (envelope.payload as { source: unknown }).source = 'not a source!';
    const followUps = await testDatabase.database.transaction((transaction) =>
      handler({ envelope, transaction, logger }),
    );
    assert.deepEqual(followUps, []);
    const { rowCount } = await testDatabase.database.query('SELECT 1 FROM repositories');
    assert.equal(rowCount, 0);
    const { rows } = await testDatabase.database.query<{ position: number | null; event: string }>(
      'SELECT position, event FROM rejected_events',
    );
    assert.deepEqual(
      rows.map((row) => ({ position: row.position, event: JSON.parse(row.event) as unknown })),
      [{ position: null, event: envelope.payload }],
    );
  });
});
