import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { createDatabase, startHttpServer, type RunningServer } from '@repopulse/core';
import {
  createTestDatabase,
  testLogger,
  type TestDatabase,
  testForwardedIdentity,
  proxiedFetch,
} from '@repopulse/core/testing';
import { createApp } from '../src/app.js';
import { bucket, insertActivityDay, insertRepository } from './builders.js';

const dayMs = 24 * 60 * 60 * 1000;

interface ActivityAnswer {
  repository: { host: string; owner: string; name: string };
  interval: string;
  from: string;
  to: string;
  series: ReturnType<typeof bucket>[];
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  parameter?: string;
}

describe('output gateway: repository activity (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let server: RunningServer;
  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
  const get = (path: string, headers: Record<string, string> = {}) => proxiedFetch(url(path), { headers });
  const getActivity = async (path: string): Promise<ActivityAnswer> => {
    const response = await get(path);
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as ActivityAnswer;
  };

  before(async () => {
    testDatabase = await createTestDatabase();
    const database = testDatabase.database;
    // Thursday 29 February and Friday 1 March share a week but not a month; Sunday 10 and Monday
    // 11 March share neither a week nor a day; the week of 18 March has nothing.
    const widgets = await insertRepository(database, { owner: 'Acme', name: 'Widgets' });
    await insertActivityDay(database, widgets, '2024-02-29', {
      commits: 4,
      pullRequestsOpened: 1,
      stars: 10,
    });
    await insertActivityDay(database, widgets, '2024-03-01', { commits: 2, issuesOpened: 3, stars: 5 });
    await insertActivityDay(database, widgets, '2024-03-10', {
      commits: 7,
      pullRequestsMerged: 2,
      releases: 1,
    });
    await insertActivityDay(database, widgets, '2024-03-11', { commits: 1, issuesClosed: 4, forks: 2 });
    await insertActivityDay(database, widgets, '2024-03-25', { commits: 3 });
    // Same days, other repositories: must never leak into Acme/Widgets on github.com.
    const gadgets = await insertRepository(database, { owner: 'acme', name: 'gadgets' });
    await insertActivityDay(database, gadgets, '2024-03-01', { commits: 50 });
    const mirrored = await insertRepository(database, {
      host: 'gitlab.example.org',
      owner: 'acme',
      name: 'widgets',
    });
    await insertActivityDay(database, mirrored, '2024-03-01', { commits: 99 });

    const app = createApp({
      database,
      logger: testLogger('output-gateway'),
      registry: new Registry(),
      forwardedIdentity: testForwardedIdentity,
    });
    server = await startHttpServer(app, 0, '127.0.0.1');
  });

  after(async () => {
    await server.close();
    await testDatabase.drop();
  });

  describe('buckets', () => {
    test('sums the rollup per UTC day, oldest first, with quiet days as zeros', async () => {
      const answer = await getActivity(
        '/v1/repositories/Acme/Widgets/activity?interval=day&from=2024-02-28&to=2024-03-03',
      );
      assert.deepEqual(answer, {
        repository: { host: 'github.com', owner: 'Acme', name: 'Widgets' },
        interval: 'day',
        from: '2024-02-28T00:00:00.000Z',
        to: '2024-03-03T00:00:00.000Z',
        series: [
          bucket('2024-02-28'),
          bucket('2024-02-29', { commits: 4, pullRequestsOpened: 1, stars: 10 }),
          bucket('2024-03-01', { commits: 2, issuesOpened: 3, stars: 5 }),
          bucket('2024-03-02'),
        ],
      });
    });

    test('starts weeks on Monday: a Sunday counts in its week, the Monday after in the next', async () => {
      const answer = await getActivity(
        '/v1/repositories/Acme/Widgets/activity?interval=week&from=2024-02-26&to=2024-03-18',
      );
      assert.deepEqual(answer.series, [
        bucket('2024-02-26', { commits: 6, pullRequestsOpened: 1, issuesOpened: 3, stars: 15 }),
        bucket('2024-03-04', { commits: 7, pullRequestsMerged: 2, releases: 1 }),
        bucket('2024-03-11', { commits: 1, issuesClosed: 4, forks: 2 }),
      ]);
    });

    test('fills a week without activity with zeros', async () => {
      const answer = await getActivity(
        '/v1/repositories/Acme/Widgets/activity?interval=week&from=2024-03-11&to=2024-04-01',
      );
      assert.deepEqual(answer.series, [
        bucket('2024-03-11', { commits: 1, issuesClosed: 4, forks: 2 }),
        bucket('2024-03-18'),
        bucket('2024-03-25', { commits: 3 }),
      ]);
    });

    test('starts months on the 1st: the last day of February and the first of March fall apart', async () => {
      const answer = await getActivity(
        '/v1/repositories/Acme/Widgets/activity?interval=month&from=2024-02-01&to=2024-04-01',
      );
      assert.deepEqual(answer.series, [
        bucket('2024-02-01', { commits: 4, pullRequestsOpened: 1, stars: 10 }),
        bucket('2024-03-01', {
          commits: 13,
          pullRequestsMerged: 2,
          issuesOpened: 3,
          issuesClosed: 4,
          releases: 1,
          stars: 5,
          forks: 2,
        }),
      ]);
    });

    test('covers whole buckets from the one holding from to the one holding the last millisecond before to', async () => {
      const intoMonday = await getActivity(
        '/v1/repositories/Acme/Widgets/activity?interval=week&from=2024-03-10T12:00:00Z&to=2024-03-11T00:00:00.001Z',
      );
      assert.deepEqual(intoMonday.series, [
        bucket('2024-03-04', { commits: 7, pullRequestsMerged: 2, releases: 1 }),
        bucket('2024-03-11', { commits: 1, issuesClosed: 4, forks: 2 }),
      ]);
      const untilMonday = await getActivity(
        '/v1/repositories/Acme/Widgets/activity?interval=week&from=2024-03-10T12:00:00Z&to=2024-03-11T00:00:00Z',
      );
      assert.deepEqual(untilMonday.series, [
        bucket('2024-03-04', { commits: 7, pullRequestsMerged: 2, releases: 1 }),
      ]);
    });

    test('converts offsets to UTC before cutting buckets', async () => {
      const answer = await getActivity(
        '/v1/repositories/Acme/Widgets/activity?interval=day&from=2024-03-01T01:00:00%2B02:00&to=2024-03-01T12:00:00Z',
      );
      assert.equal(answer.from, '2024-02-29T23:00:00.000Z');
      assert.deepEqual(answer.series, [
        bucket('2024-02-29', { commits: 4, pullRequestsOpened: 1, stars: 10 }),
        bucket('2024-03-01', { commits: 2, issuesOpened: 3, stars: 5 }),
      ]);
    });
  });

  describe('defaults', () => {
    test('answers weekly buckets over the 365 days before the end of today (UTC) when no parameter is given', async () => {
      const requestedAt = Date.now();
      const answer = await getActivity('/v1/repositories/acme/widgets/activity');
      const answeredAt = Date.now();
      const to = Date.parse(answer.to);
      const from = Date.parse(answer.from);
      assert.equal(answer.interval, 'week');
      const endOfToday = (instant: number) => {
        const day = new Date(instant);
        return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1);
      };
      assert.ok(
        to === endOfToday(requestedAt) || to === endOfToday(answeredAt),
        'to is the end of the UTC day',
      );
      assert.equal(to - from, 365 * dayMs);
      const starts = answer.series.map((entry) => Date.parse(entry.start));
      assert.equal(new Date(starts[0]!).getUTCDay(), 1, 'the first bucket starts on a Monday');
      assert.ok(starts[0]! <= from && from < starts[0]! + 7 * dayMs, 'the first bucket holds from');
      assert.ok(starts.at(-1)! < to && to <= starts.at(-1)! + 7 * dayMs, 'the last bucket holds to');
      starts.slice(1).forEach((start, index) => assert.equal(start - starts[index]!, 7 * dayMs));
    });

    test('puts from 365 days before an explicit to', async () => {
      const answer = await getActivity('/v1/repositories/Acme/Widgets/activity?to=2024-03-18');
      assert.equal(answer.to, '2024-03-18T00:00:00.000Z');
      assert.equal(answer.from, '2023-03-19T00:00:00.000Z');
      assert.deepEqual(answer.series.at(-1), bucket('2024-03-11', { commits: 1, issuesClosed: 4, forks: 2 }));
    });
  });

  describe('repository lookup', () => {
    test('finds the repository whatever the case of owner and name, and reports its stored spelling', async () => {
      const answer = await getActivity(
        '/v1/repositories/ACME/widgets/activity?interval=day&from=2024-03-01&to=2024-03-02',
      );
      assert.deepEqual(answer.repository, { host: 'github.com', owner: 'Acme', name: 'Widgets' });
      assert.deepEqual(answer.series, [bucket('2024-03-01', { commits: 2, issuesOpened: 3, stars: 5 })]);
    });

    test('reads a repository of another host with ?host=', async () => {
      const answer = await getActivity(
        '/v1/repositories/acme/widgets/activity?host=GitLab.Example.org&interval=day&from=2024-03-01&to=2024-03-02',
      );
      assert.deepEqual(answer.repository, { host: 'gitlab.example.org', owner: 'acme', name: 'widgets' });
      assert.deepEqual(answer.series, [bucket('2024-03-01', { commits: 99 })]);
    });

    for (const path of [
      '/v1/repositories/acme/nothing/activity',
      '/v1/repositories/acme/widgets/activity?host=bitbucket.org',
    ]) {
      test(`answers 404 problem+json for a repository it does not know (${path})`, async () => {
        const response = await get(path);
        assert.equal(response.status, 404);
        assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
        const problem = (await response.json()) as Problem;
        assert.equal(problem.status, 404);
        assert.equal(problem.type, 'urn:repopulse:problem:not-found');
        assert.equal(problem.title, 'Not found');
        assert.match(problem.detail, /acme\/(nothing|widgets)/);
      });
    }
  });

  describe('bad parameters', () => {
    const cases: [query: string, parameter: string][] = [
      ['from=yesterday', 'from'],
      ['from=2024-02-30', 'from'],
      ['from=2024-03-01T25:00:00Z', 'from'],
      ['from=2024-03-01T01:00:00+02:00', 'from'],
      ['to=2024-13-01', 'to'],
      ['to=', 'to'],
      ['interval=year', 'interval'],
      ['interval=day&interval=week', 'interval'],
      ['from=2024-03-02&to=2024-03-01', 'from'],
      ['from=2024-03-01&to=2024-03-01', 'from'],
      ['limit=5', 'limit'],
      ['host=', 'host'],
      ['format=xml', 'format'],
      ['interval=day&from=2021-01-01&to=2024-01-01', 'from'],
    ];
    for (const [query, parameter] of cases) {
      test(`refuses ?${query} with 400 naming "${parameter}"`, async () => {
        const response = await get(`/v1/repositories/Acme/Widgets/activity?${query}`);
        assert.equal(response.status, 400);
        assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
        const problem = (await response.json()) as Problem;
        assert.equal(problem.status, 400);
        assert.equal(problem.type, 'urn:repopulse:problem:bad-request');
        assert.equal(problem.title, 'Bad request');
        assert.equal(problem.parameter, parameter);
        assert.ok(problem.detail.includes(`"${parameter}"`), problem.detail);
      });
    }

    test('checks the parameters before looking the repository up', async () => {
      const response = await get('/v1/repositories/acme/nothing/activity?interval=year');
      assert.equal(response.status, 400);
    });

    test('answers up to 1000 buckets and refuses the 1001st', async () => {
      const from = new Date('2024-01-01T00:00:00Z');
      const days = (count: number) => new Date(from.getTime() + count * dayMs).toISOString();
      const path = '/v1/repositories/Acme/Widgets/activity?interval=day&from=2024-01-01';
      const largest = await getActivity(`${path}&to=${days(1000)}`);
      assert.equal(largest.series.length, 1000);
      const tooLarge = await get(`${path}&to=${days(1001)}`);
      assert.equal(tooLarge.status, 400);
      assert.equal(((await tooLarge.json()) as Problem).parameter, 'from');
    });
  });

  describe('CSV', () => {
    const path = '/v1/repositories/acme/widgets/activity?interval=week&from=2024-02-26&to=2024-03-18';
    const expected =
      'start,commits,pullRequestsOpened,pullRequestsMerged,issuesOpened,issuesClosed,releases,stars,forks\r\n' +
      '2024-02-26T00:00:00Z,6,1,0,3,0,0,15,0\r\n' +
      '2024-03-04T00:00:00Z,7,0,2,0,0,1,0,0\r\n' +
      '2024-03-11T00:00:00Z,1,0,0,0,4,0,0,2\r\n';

    test('answers the series as CSV, a row per bucket, for Accept: text/csv and for ?format=csv', async () => {
      for (const response of [await get(path, { Accept: 'text/csv' }), await get(`${path}&format=csv`)]) {
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('content-type'), 'text/csv; charset=utf-8');
        assert.equal(await response.text(), expected);
      }
      // The same numbers as the JSON answer.
      const json = await getActivity(path);
      assert.deepEqual(
        json.series.map((entry) => entry.commits),
        [6, 7, 1],
      );
    });

    test('?format=json wins over Accept, and a CSV answer has its own ETag with 304', async () => {
      const json = await get(`${path}&format=json`, { Accept: 'text/csv' });
      assert.match(json.headers.get('content-type') ?? '', /^application\/json/);
      const csv = await get(`${path}&format=csv`);
      const etag = csv.headers.get('etag');
      assert.match(etag ?? '', /^W\/".+"$/);
      assert.notEqual(etag, json.headers.get('etag'));
      const again = await get(`${path}&format=csv`, { 'If-None-Match': etag! });
      assert.equal(again.status, 304);
      assert.equal(await again.text(), '');
    });

    test('answers chosen by the Accept header say so (Vary: Accept), JSON, CSV and 304 alike', async () => {
      const json = await get(path);
      const csv = await get(path, { Accept: 'text/csv' });
      assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
      const notModified = await get(path, { Accept: 'text/csv', 'If-None-Match': csv.headers.get('etag')! });
      assert.equal(notModified.status, 304);
      for (const answer of [json, csv, notModified])
        assert.match(answer.headers.get('vary') ?? '', /^Accept\b/);
    });
  });

  describe('caching', () => {
    const path = '/v1/repositories/acme/etagged/activity?interval=month&from=2024-01-01&to=2024-03-01';

    test('sends a weak ETag with Cache-Control, and 304 without a body to a matching If-None-Match', async () => {
      await insertRepository(testDatabase.database, { owner: 'acme', name: 'etagged' });
      const first = await get(path);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('cache-control'), 'private, max-age=60');
      const etag = first.headers.get('etag');
      assert.match(etag ?? '', /^W\/".+"$/);
      // fetch() adds Cache-Control: no-cache to a request with its own If-None-Match; a 304 is still due.
      const again = await get(path, { 'If-None-Match': etag! });
      assert.equal(again.status, 304);
      assert.equal(again.headers.get('etag'), etag);
      assert.equal(await again.text(), '');
      const other = await get(path, { 'If-None-Match': 'W/"something-else"' });
      assert.equal(other.status, 200);
    });

    test('changes the ETag when the rollup changes', async () => {
      const before = (await get(path)).headers.get('etag');
      const repository = await testDatabase.database.query<{ id: string }>(
        "SELECT id::text AS id FROM repositories WHERE name = 'etagged'",
      );
      await insertActivityDay(testDatabase.database, repository.rows[0]!.id, '2024-02-10', { stars: 1 });
      const response = await get(path, { 'If-None-Match': before! });
      assert.equal(response.status, 200);
      assert.notEqual(response.headers.get('etag'), before);
      assert.deepEqual(((await response.json()) as ActivityAnswer).series, [
        bucket('2024-01-01'),
        bucket('2024-02-01', { stars: 1 }),
      ]);
    });
  });

  describe('operations', () => {
    test('/health answers 200', async () => {
      const response = await get('/health');
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: 'ok' });
    });

    test('/ready answers 200 while PostgreSQL answers', async () => {
      // Straight from inside, as a health check or Prometheus asks: through the proxy it is not there.
      const response = await fetch(url('/ready'));
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: 'ready', checks: { postgres: { status: 'ok' } } });
    });

    test('/ready answers 503 naming postgres when the database does not answer', async () => {
      const logger = testLogger('output-gateway');
      const unreachable = createDatabase({ url: 'postgres://root@127.0.0.1:1/nothing', logger });
      const lonely = await startHttpServer(
        createApp({
          database: unreachable,
          logger,
          registry: new Registry(),
          forwardedIdentity: testForwardedIdentity,
        }),
        0,
        '127.0.0.1',
      );
      try {
        const response = await fetch(`http://127.0.0.1:${lonely.port}/ready`);
        assert.equal(response.status, 503);
        const body = (await response.json()) as { checks: { postgres: { status: string } } };
        assert.equal(body.checks.postgres.status, 'failing');
      } finally {
        await lonely.close();
        await unreachable.close();
      }
    });

    test('/metrics serves the Prometheus text format with request timings by route', async () => {
      await get('/v1/repositories/Acme/Widgets/activity?interval=day&from=2024-03-01&to=2024-03-02');
      const response = await fetch(url('/metrics'));
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
      assert.match(
        await response.text(),
        /http_request_duration_seconds_count\{method="GET",route="\/v1\/repositories\/:owner\/:name\/activity",status="200"\} \d+/,
      );
    });

    test('answers 404 problem+json for a path it does not serve', async () => {
      const response = await get('/v1/nothing-here');
      assert.equal(response.status, 404);
      assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    });
  });
});
