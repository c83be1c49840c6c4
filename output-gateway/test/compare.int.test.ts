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
import { insertMetricPoints, insertRepositoryRow, insertSnapshot } from './support/read-model-builders.js';

interface Compared {
  repository: { host: string; owner: string; name: string };
  computedAt: string | null;
  healthScore: number | null;
  metrics: Record<string, number | null>;
  series?: Array<Record<string, unknown>>;
}

interface Comparison {
  names: string[];
  repositories: Compared[];
  interval?: string;
  from?: string;
  to?: string;
}

interface Problem {
  status: number;
  detail: string;
  parameter?: string;
}

describe('output gateway: compare repositories (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let server: RunningServer;
  const get = (path: string, headers: Record<string, string> = {}) =>
    proxiedFetch(`http://127.0.0.1:${server.port}${path}`, { headers });
  const compare = async (query: string): Promise<Comparison> => {
    const response = await get(`/v1/compare?${query}`);
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as Comparison;
    assertConforms('compareRepositories', 200, body);
    return body;
  };

  before(async () => {
    testDatabase = await createTestDatabase();
    const database = testDatabase.database;
    const widgets = await insertRepositoryRow(database, { owner: 'Acme', name: 'Widgets' });
    await insertSnapshot(database, widgets, {
      computedAt: '2024-03-18T00:00:00Z',
      metrics: {
        commits_90d: 40,
        contributors_90d: 6,
        issue_closure_ratio_90d: { value: null, reason: 'no_issue_tracker' },
      },
      healthScore: 80,
    });
    await insertMetricPoints(database, widgets, 'commits_90d', [
      ['2024-01-31', 30],
      ['2024-02-29', 35],
    ]);
    const gadgets = await insertRepositoryRow(database, { owner: 'acme', name: 'gadgets' });
    await insertSnapshot(database, gadgets, {
      computedAt: '2024-03-17T00:00:00Z',
      metrics: { commits_90d: 100, contributors_90d: 12 },
      healthScore: 91.2,
    });
    await insertMetricPoints(database, gadgets, 'commits_90d', [['2024-02-15', 90]]);
    await insertMetricPoints(database, gadgets, 'health_score', [['2024-02-15', 88]]);
    await insertRepositoryRow(database, { owner: 'other', name: 'fresh' });
    for (const name of ['four', 'five', 'six']) await insertRepositoryRow(database, { owner: 'other', name });
    await insertRepositoryRow(database, { host: 'gitlab.example.org', owner: 'acme', name: 'widgets' });
    await insertRepositoryRow(database, { host: 'gitlab.example.org', owner: 'acme', name: 'gadgets' });
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

  test('puts the latest metrics and health scores side by side, in the order asked, whatever the case', async () => {
    const answer = await compare('repos=ACME/gadgets,acme/widgets&names=commits_90d,issue_closure_ratio_90d');
    assert.deepEqual(answer, {
      names: ['commits_90d', 'issue_closure_ratio_90d'],
      repositories: [
        {
          repository: { host: 'github.com', owner: 'acme', name: 'gadgets' },
          computedAt: '2024-03-17T00:00:00.000Z',
          healthScore: 91.2,
          metrics: { commits_90d: 100, issue_closure_ratio_90d: null },
        },
        {
          repository: { host: 'github.com', owner: 'Acme', name: 'Widgets' },
          computedAt: '2024-03-18T00:00:00.000Z',
          healthScore: 80,
          metrics: { commits_90d: 40, issue_closure_ratio_90d: null },
        },
      ],
    });
  });

  test('compares every metric of docs/METRICS.md when no names are given', async () => {
    const answer = await compare('repos=acme/widgets,acme/gadgets');
    assert.deepEqual(answer.names, [...metricNames]);
    assert.deepEqual(Object.keys(answer.repositories[0]!.metrics), [...metricNames]);
    assert.equal(answer.repositories[1]!.metrics.contributors_90d, 12);
  });

  test('takes health_score as a name', async () => {
    const answer = await compare('repos=acme/widgets,acme/gadgets&names=health_score');
    assert.deepEqual(
      answer.repositories.map(({ metrics }) => metrics),
      [{ health_score: 80 }, { health_score: 91.2 }],
    );
  });

  test('shows a repository never computed with nulls', async () => {
    const answer = await compare('repos=acme/widgets,other/fresh&names=commits_90d');
    assert.deepEqual(answer.repositories[1], {
      repository: { host: 'github.com', owner: 'other', name: 'fresh' },
      computedAt: null,
      healthScore: null,
      metrics: { commits_90d: null },
    });
  });

  test('compares up to five', async () => {
    const answer = await compare('repos=acme/widgets,acme/gadgets,other/fresh,other/four,other/five');
    assert.equal(answer.repositories.length, 5);
  });

  test('adds each repository’s series over the same buckets when a range or interval is asked for', async () => {
    const answer = await compare(
      'repos=acme/widgets,acme/gadgets&names=commits_90d,health_score&interval=month&from=2024-01-01&to=2024-03-01',
    );
    assert.equal(answer.interval, 'month');
    assert.equal(answer.from, '2024-01-01T00:00:00.000Z');
    assert.equal(answer.to, '2024-03-01T00:00:00.000Z');
    assert.deepEqual(answer.repositories[0]!.series, [
      { start: '2024-01-01T00:00:00Z', commits_90d: 30, health_score: null },
      { start: '2024-02-01T00:00:00Z', commits_90d: 35, health_score: null },
    ]);
    assert.deepEqual(answer.repositories[1]!.series, [
      { start: '2024-01-01T00:00:00Z', commits_90d: null, health_score: null },
      { start: '2024-02-01T00:00:00Z', commits_90d: 90, health_score: 88 },
    ]);
    const weekly = await compare('repos=acme/widgets,acme/gadgets&names=commits_90d&to=2024-03-04');
    assert.equal(weekly.interval, 'week');
    assert.equal(weekly.repositories[0]!.series!.length, weekly.repositories[1]!.series!.length);
  });

  test('reads the repositories of another host with ?host=', async () => {
    const answer = await compare('repos=acme/widgets,acme/gadgets&host=gitlab.example.org&names=stars');
    assert.deepEqual(
      answer.repositories.map(({ repository }) => repository.host),
      ['gitlab.example.org', 'gitlab.example.org'],
    );
  });

  test('answers 404 naming every repository it does not know', async () => {
    const response = await get('/v1/compare?repos=acme/widgets,acme/nothing,nobody/else');
    assert.equal(response.status, 404);
    const problem = (await response.json()) as Problem;
    assertConforms('compareRepositories', 404, problem);
    assert.match(problem.detail, /acme\/nothing, nobody\/else/);
    assert.doesNotMatch(problem.detail, /widgets/);
    const otherHost = await get('/v1/compare?repos=acme/widgets,other/fresh&host=gitlab.example.org');
    assert.match(((await otherHost.json()) as Problem).detail, /other\/fresh/);
  });

  const cases: [query: string, parameter: string][] = [
    ['', 'repos'],
    ['repos=acme/widgets', 'repos'],
    ['repos=acme/widgets,acme/gadgets,other/fresh,other/four,other/five,other/six', 'repos'],
    ['repos=acme/widgets,acme', 'repos'],
    ['repos=acme/widgets,acme/gadgets/extra', 'repos'],
    ['repos=acme/widgets,', 'repos'],
    ['repos=acme/widgets,ACME/Widgets', 'repos'],
    ['repos=a/b&repos=c/d', 'repos'],
    ['repos=acme/widgets,acme/gadgets&names=commits_90d,nope', 'names'],
    ['repos=acme/widgets,acme/gadgets&names=', 'names'],
    ['repos=acme/widgets,acme/gadgets&interval=year', 'interval'],
    ['repos=acme/widgets,acme/gadgets&from=2024-13-01', 'from'],
    ['repos=acme/widgets,acme/gadgets&to=soon', 'to'],
    ['repos=acme/widgets,acme/gadgets&from=2024-03-01&to=2024-02-01', 'from'],
    ['repos=acme/widgets,acme/gadgets&host=', 'host'],
    ['repos=acme/widgets,acme/gadgets&sort=stars', 'sort'],
  ];
  for (const [query, parameter] of cases) {
    test(`refuses ?${query} with 400 naming "${parameter}"`, async () => {
      const response = await get(`/v1/compare?${query}`);
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      const problem = (await response.json()) as Problem;
      assertConforms('compareRepositories', 400, problem);
      assert.equal(problem.parameter, parameter);
      assert.ok(problem.detail.includes(`"${parameter}"`), problem.detail);
    });
  }

  test('sends a weak ETag with Cache-Control, 304 to a matching If-None-Match, a new ETag once a snapshot changes', async () => {
    const path = '/v1/compare?repos=acme/widgets,acme/gadgets&names=commits_90d';
    const first = await get(path);
    assert.equal(first.headers.get('cache-control'), 'private, max-age=60');
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^W\/".+"$/);
    const again = await get(path, { 'If-None-Match': etag });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    const id = await testDatabase.database.query<{ id: string }>(
      `SELECT id::text AS id FROM repositories WHERE name = 'gadgets' AND host = 'github.com'`,
    );
    await insertSnapshot(testDatabase.database, id.rows[0]!.id, {
      computedAt: '2024-03-19T00:00:00Z',
      metrics: { commits_90d: 101 },
      healthScore: 91.3,
    });
    const changed = await get(path, { 'If-None-Match': etag });
    assert.equal(changed.status, 200);
    assert.equal(((await changed.json()) as Comparison).repositories[1]!.metrics.commits_90d, 101);
  });
});
