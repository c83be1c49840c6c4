import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { startHttpServer, type RunningServer } from '@repopulse/core';
import {
  createTestDatabase,
  testLogger,
  type TestDatabase,
  testForwardedIdentity,
  proxiedFetch,
} from '@repopulse/core/testing';
import { createApp } from '../src/app.js';
import { metricNames } from '../src/metrics/metric-names.js';
import { assertConforms } from './support/openapi-conformance.js';
import { insertMetricPoints, insertRepositoryRow } from './support/read-model-builders.js';

type Bucket = { start: string } & Record<string, number | null | string>;

interface SeriesAnswer {
  repository: { host: string; owner: string; name: string };
  names: string[];
  interval: string;
  from: string;
  to: string;
  series: Bucket[];
}

interface Problem {
  status: number;
  detail: string;
  parameter?: string;
}

const dayMs = 24 * 60 * 60 * 1000;

/** `count` consecutive days from `first`, each with the value `value(index)`. */
function days(first: string, count: number, value: (index: number) => number | null) {
  return Array.from({ length: count }, (_, index) => {
    const day = new Date(Date.parse(first) + index * dayMs).toISOString().slice(0, 10);
    return [day, value(index)] as const;
  });
}

describe('output gateway: metric series of a repository (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let server: RunningServer;
  const get = (path: string, headers: Record<string, string> = {}) =>
    proxiedFetch(`http://127.0.0.1:${server.port}${path}`, { headers });
  const getSeries = async (query: string, repository = 'Acme/Widgets'): Promise<SeriesAnswer> => {
    const response = await get(`/v1/repositories/${repository}/metrics${query}`);
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as SeriesAnswer;
    assertConforms('getRepositoryMetricSeries', 200, body);
    return body;
  };

  before(async () => {
    testDatabase = await createTestDatabase();
    const database = testDatabase.database;
    const widgets = await insertRepositoryRow(database, { owner: 'Acme', name: 'Widgets' });
    // commits_90d is 10, 11, 12, … from Monday 26 February 2024 to Sunday 10 March (14 days); Thursday
    // 29 February is unknown (null with a reason); nothing from 11 March on.
    await insertMetricPoints(
      database,
      widgets,
      'commits_90d',
      days('2024-02-26', 14, (index) => (index === 3 ? null : 10 + index)),
    );
    await insertMetricPoints(database, widgets, 'health_score', [
      ['2024-02-27', 61.5],
      ['2024-03-05', 70],
    ]);
    await insertMetricPoints(database, widgets, 'contributors_90d', [['2024-03-31', 4]]);
    const mirror = await insertRepositoryRow(database, {
      host: 'gitlab.example.org',
      owner: 'acme',
      name: 'widgets',
    });
    await insertMetricPoints(database, mirror, 'commits_90d', [['2024-03-01', 999]]);
    const app = createApp({
      database,
      logger: testLogger(),
      registry: new Registry(),
      forwardedIdentity: testForwardedIdentity,
    });
    server = await startHttpServer(app, 0, '127.0.0.1');
  });

  after(async () => {
    await server.close();
    await testDatabase.drop();
  });

  test('answers one value per day, null where the point is unknown or missing', async () => {
    const answer = await getSeries('?names=commits_90d&interval=day&from=2024-02-28&to=2024-03-02');
    assert.deepEqual(answer, {
      repository: { host: 'github.com', owner: 'Acme', name: 'Widgets' },
      names: ['commits_90d'],
      interval: 'day',
      from: '2024-02-28T00:00:00.000Z',
      to: '2024-03-02T00:00:00.000Z',
      series: [
        { start: '2024-02-28T00:00:00Z', commits_90d: 12 },
        { start: '2024-02-29T00:00:00Z', commits_90d: null },
        { start: '2024-03-01T00:00:00Z', commits_90d: 14 },
      ],
    });
  });

  test('answers the value at the end of each week (Sunday), or the last day before it that has one', async () => {
    const answer = await getSeries(
      '?names=commits_90d,health_score&interval=week&from=2024-02-26&to=2024-03-25',
    );
    assert.deepEqual(answer.series, [
      { start: '2024-02-26T00:00:00Z', commits_90d: 16, health_score: 61.5 },
      { start: '2024-03-04T00:00:00Z', commits_90d: 23, health_score: 70 },
      { start: '2024-03-11T00:00:00Z', commits_90d: null, health_score: null },
      { start: '2024-03-18T00:00:00Z', commits_90d: null, health_score: null },
    ]);
  });

  test('answers the value at the end of each month, whole months even when from and to fall inside', async () => {
    const answer = await getSeries(
      '?names=commits_90d,contributors_90d&interval=month&from=2024-02-27&to=2024-03-02',
    );
    assert.deepEqual(answer.series, [
      { start: '2024-02-01T00:00:00Z', commits_90d: null, contributors_90d: null },
      { start: '2024-03-01T00:00:00Z', commits_90d: 23, contributors_90d: 4 },
    ]);
  });

  test('keeps the names in the order given, each once', async () => {
    const answer = await getSeries(
      '?names=health_score,commits_90d,health_score&interval=day&from=2024-02-27&to=2024-02-28',
    );
    assert.deepEqual(answer.names, ['health_score', 'commits_90d']);
    assert.deepEqual(Object.keys(answer.series[0]!), ['start', 'health_score', 'commits_90d']);
  });

  test('answers every metric and health_score, weekly over the last 365 days, when nothing is named', async () => {
    const answer = await getSeries('');
    assert.deepEqual(answer.names, [...metricNames, 'health_score']);
    assert.equal(answer.interval, 'week');
    assert.equal(Date.parse(answer.to) - Date.parse(answer.from), 365 * dayMs);
    assert.ok(answer.series.length >= 53 && answer.series.length <= 54);
    assert.deepEqual(Object.keys(answer.series[0]!), ['start', ...metricNames, 'health_score']);
  });

  test('finds the repository whatever the case, and one of another host with ?host=', async () => {
    const query = '?names=commits_90d&interval=month&from=2024-03-01&to=2024-04-01';
    const same = await getSeries(query, 'ACME/widgets');
    assert.equal(same.series[0]!.commits_90d, 23);
    const mirror = await getSeries(`${query}&host=gitlab.example.org`, 'acme/widgets');
    assert.deepEqual(mirror.repository, { host: 'gitlab.example.org', owner: 'acme', name: 'widgets' });
    assert.equal(mirror.series[0]!.commits_90d, 999);
  });

  test('answers 404 problem+json for a repository it does not know', async () => {
    const response = await get('/v1/repositories/acme/nothing/metrics');
    assert.equal(response.status, 404);
    const problem = (await response.json()) as Problem;
    assertConforms('getRepositoryMetricSeries', 404, problem);
    assert.match(problem.detail, /acme\/nothing/);
  });

  const cases: [query: string, parameter: string][] = [
    ['names=commits_90d,stars_per_day', 'names'],
    ['names=', 'names'],
    ['names=commits_90d,', 'names'],
    ['names=COMMITS_90D', 'names'],
    ['names=a&names=b', 'names'],
    ['interval=year', 'interval'],
    ['from=yesterday', 'from'],
    ['to=2024-02-30', 'to'],
    ['from=2024-03-02&to=2024-03-01', 'from'],
    ['interval=day&from=2020-01-01&to=2024-01-01', 'from'],
    ['host=', 'host'],
    ['limit=10', 'limit'],
  ];
  for (const [query, parameter] of cases) {
    test(`refuses ?${query} with 400 naming "${parameter}"`, async () => {
      const response = await get(`/v1/repositories/Acme/Widgets/metrics?${query}`);
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      const problem = (await response.json()) as Problem;
      assertConforms('getRepositoryMetricSeries', 400, problem);
      assert.equal(problem.parameter, parameter);
      assert.ok(problem.detail.includes(`"${parameter}"`), problem.detail);
    });
  }

  test('names the unknown metrics in the detail', async () => {
    const response = await get('/v1/repositories/Acme/Widgets/metrics?names=commits_90d,stars_per_day,x');
    const problem = (await response.json()) as Problem;
    assert.match(problem.detail, /"stars_per_day", "x"/);
  });

  test('sends a weak ETag with Cache-Control, 304 to a matching If-None-Match, a new ETag when a point changes', async () => {
    const path =
      '/v1/repositories/Acme/Widgets/metrics?names=commits_90d&interval=day&from=2024-03-10&to=2024-03-12';
    const first = await get(path);
    assert.equal(first.headers.get('cache-control'), 'private, max-age=60');
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^W\/".+"$/);
    const again = await get(path, { 'If-None-Match': etag });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    const id = await testDatabase.database.query<{ id: string }>(
      `SELECT id::text AS id FROM repositories WHERE host = 'github.com'`,
    );
    await insertMetricPoints(testDatabase.database, id.rows[0]!.id, 'commits_90d', [['2024-03-11', 5]]);
    const changed = await get(path, { 'If-None-Match': etag });
    assert.equal(changed.status, 200);
    assert.deepEqual(((await changed.json()) as SeriesAnswer).series.at(-1), {
      start: '2024-03-11T00:00:00Z',
      commits_90d: 5,
    });
  });
});
