import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { startHttpServer, type Queryable, type RunningServer } from '@repopulse/core';
import {
  createTestDatabase,
  testLogger,
  type TestDatabase,
  testForwardedIdentity,
  proxiedFetch,
} from '@repopulse/core/testing';
import { createApp } from '../src/app.js';
import { bucket, insertActivityDay, type ActivityCounts } from './builders.js';
import { assertConforms } from './support/openapi-conformance.js';

const dayMs = 24 * 60 * 60 * 1000;

interface Portfolio {
  host: string;
  owner: string;
  repositories: { total: number; archived: number; forks: number; active: number };
  stars: number;
  forks: number;
  languages: Array<{ language: string; repositories: number; bytes: number; share: number | null }>;
  topRepositories: Array<{ name: string; stars: number | null; healthScore: number | null }>;
  activity: { interval: string; from: string; to: string; series: ReturnType<typeof bucket>[] };
  health: { median: number | null; distribution: Array<{ bucket: string; repositories: number }> };
}

interface Problem {
  type: string;
  status: number;
  detail: string;
  parameter?: string;
}

interface RepositorySeed {
  host?: string;
  owner: string;
  name: string;
  stars?: number | null;
  forks?: number | null;
  archived?: boolean;
  fork?: boolean;
  language?: string | null;
  languages?: Record<string, number> | null;
}

async function insertRepository(database: Queryable, seed: RepositorySeed): Promise<string> {
  const result = await database.query<{ id: string }>(
    `INSERT INTO repositories (host, owner, name, stars, forks, archived, is_fork, primary_language, languages)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id::text AS id`,
    [
      seed.host ?? 'github.com',
      seed.owner,
      seed.name,
      seed.stars ?? null,
      seed.forks ?? null,
      seed.archived ?? false,
      seed.fork ?? false,
      seed.language ?? null,
      seed.languages ? JSON.stringify(seed.languages) : null,
    ],
  );
  return result.rows[0]!.id;
}

/** The latest metrics of a repository: its health score and the metric values given (null: unknown). */
async function insertSnapshot(
  database: Queryable,
  repositoryId: string,
  healthScore: number | null,
  metrics: Record<string, number | null> = {},
): Promise<void> {
  const document = Object.fromEntries(
    Object.entries(metrics).map(([name, value]) => [
      name,
      value === null ? { value, reason: 'no_git_data', version: 1 } : { value, version: 1 },
    ]),
  );
  await database.query(
    `INSERT INTO metric_snapshots (repository_id, computed_at, metrics, health, health_score)
     VALUES ($1, now(), $2, $3, $4)`,
    [
      repositoryId,
      JSON.stringify(document),
      JSON.stringify({ score: healthScore, components: [] }),
      healthScore,
    ],
  );
}

async function insertOwnerDay(
  database: Queryable,
  owner: { host?: string; owner: string },
  day: string,
  counts: Partial<ActivityCounts>,
): Promise<void> {
  await database.query(
    `INSERT INTO owner_activity_daily (host, owner_key, day, commits, pull_requests_opened, pull_requests_merged,
                                       issues_opened, issues_closed, releases, stars, forks)
     VALUES (lower($1), lower($2), $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      owner.host ?? 'github.com',
      owner.owner,
      day,
      counts.commits ?? 0,
      counts.pullRequestsOpened ?? 0,
      counts.pullRequestsMerged ?? 0,
      counts.issuesOpened ?? 0,
      counts.issuesClosed ?? 0,
      counts.releases ?? 0,
      counts.stars ?? 0,
      counts.forks ?? 0,
    ],
  );
}

const daysAgo = (days: number) => new Date(Date.now() - days * dayMs).toISOString().slice(0, 10);

describe('output gateway: organisation portfolio (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let server: RunningServer;
  const get = (path: string, headers: Record<string, string> = {}) =>
    proxiedFetch(`http://127.0.0.1:${server.port}${path}`, { headers });
  const getPortfolio = async (path: string): Promise<Portfolio> => {
    const response = await get(path);
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as Portfolio;
    assertConforms('getOrganization', 200, body);
    return body;
  };

  before(async () => {
    testDatabase = await createTestDatabase();
    const database = testDatabase.database;
    // Acme on github.com: six repositories, one spelled ACME. Active: widgets and perfect by their
    // snapshots, forked (no snapshot) by a commit in the rollup 10 days ago; gadgets' snapshot says 0
    // commits, old's commits_90d is unknown and its last commit 120 days old.
    const widgets = await insertRepository(database, {
      owner: 'Acme',
      name: 'widgets',
      stars: 100,
      forks: 10,
      language: 'TypeScript',
      languages: { TypeScript: 7000, CSS: 1000 },
    });
    await insertSnapshot(database, widgets, 85, { commits_90d: 5 });
    const gadgets = await insertRepository(database, {
      owner: 'Acme',
      name: 'gadgets',
      stars: 50,
      forks: 5,
      archived: true,
      language: 'Go',
      languages: { TypeScript: 1000, Go: 1000 },
    });
    await insertSnapshot(database, gadgets, 40, { commits_90d: 0 });
    const forked = await insertRepository(database, {
      owner: 'Acme',
      name: 'forked',
      fork: true,
      language: 'Go',
    });
    await insertActivityDay(database, forked, daysAgo(10), { commits: 2 });
    const old = await insertRepository(database, { owner: 'ACME', name: 'old', stars: 5, forks: 1 });
    await insertSnapshot(database, old, 20, { commits_90d: null });
    await insertActivityDay(database, old, daysAgo(120), { commits: 9 });
    const perfect = await insertRepository(database, {
      owner: 'Acme',
      name: 'perfect',
      stars: 30,
      forks: 3,
      language: 'Rust',
      languages: { Rust: 10000 },
    });
    await insertSnapshot(database, perfect, 100, { commits_90d: 3 });
    const zero = await insertRepository(database, { owner: 'Acme', name: 'zero', stars: 1, forks: 0 });
    await insertSnapshot(database, zero, 0, { commits_90d: 0 });

    // Same owner name elsewhere, and another owner: never part of Acme on github.com.
    const mirrored = await insertRepository(database, {
      host: 'gitlab.example.org',
      owner: 'acme',
      name: 'widgets',
      stars: 7,
      language: 'C',
      languages: { C: 500 },
    });
    await insertSnapshot(database, mirrored, 55, { commits_90d: 1 });
    await insertRepository(database, { owner: 'globex', name: 'widgets', stars: 999 });

    // A dozen repositories of Initech, for the top ten.
    for (let index = 1; index <= 12; index++) {
      await insertRepository(database, { owner: 'Initech', name: `tool-${index}`, stars: index % 6 });
    }

    // Thursday 29 February and Friday 1 March share a week but not a month.
    await insertOwnerDay(database, { owner: 'acme' }, '2024-02-29', { commits: 4, pullRequestsOpened: 1 });
    await insertOwnerDay(database, { owner: 'acme' }, '2024-03-01', { commits: 2, stars: 5 });
    await insertOwnerDay(database, { owner: 'acme' }, '2024-03-11', { issuesClosed: 4, forks: 2 });
    await insertOwnerDay(database, { host: 'gitlab.example.org', owner: 'acme' }, '2024-03-01', {
      commits: 99,
    });
    await insertOwnerDay(database, { owner: 'globex' }, '2024-03-01', { commits: 50 });

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

  describe('portfolio', () => {
    test("counts the owner's repositories, archived, forks and active ones, and sums stars and forks", async () => {
      const portfolio = await getPortfolio('/v1/organizations/acme');
      assert.equal(portfolio.host, 'github.com');
      assert.equal(portfolio.owner, 'Acme');
      assert.deepEqual(portfolio.repositories, { total: 6, archived: 1, forks: 1, active: 3 });
      assert.equal(portfolio.stars, 186);
      assert.equal(portfolio.forks, 19);
    });

    test('shares out languages by bytes, a repository with only a primary language counting 0 bytes', async () => {
      const portfolio = await getPortfolio('/v1/organizations/Acme');
      assert.deepEqual(portfolio.languages, [
        { language: 'Rust', repositories: 1, bytes: 10000, share: 0.5 },
        { language: 'TypeScript', repositories: 2, bytes: 8000, share: 0.4 },
        { language: 'Go', repositories: 2, bytes: 1000, share: 0.05 },
        { language: 'CSS', repositories: 1, bytes: 1000, share: 0.05 },
      ]);
    });

    test('lists the top repositories by stars with their health scores, unknown stars last', async () => {
      const portfolio = await getPortfolio('/v1/organizations/acme');
      assert.deepEqual(
        portfolio.topRepositories.map(({ name, stars, healthScore }) => ({ name, stars, healthScore })),
        [
          { name: 'widgets', stars: 100, healthScore: 85 },
          { name: 'gadgets', stars: 50, healthScore: 40 },
          { name: 'perfect', stars: 30, healthScore: 100 },
          { name: 'old', stars: 5, healthScore: 20 },
          { name: 'zero', stars: 1, healthScore: 0 },
          { name: 'forked', stars: null, healthScore: null },
        ],
      );
    });

    test('lists ten repositories at most, ties by name', async () => {
      const portfolio = await getPortfolio('/v1/organizations/initech');
      assert.equal(portfolio.repositories.total, 12);
      assert.deepEqual(
        portfolio.topRepositories.map((repository) => repository.name),
        [
          'tool-11',
          'tool-5',
          'tool-10',
          'tool-4',
          'tool-3',
          'tool-9',
          'tool-2',
          'tool-8',
          'tool-1',
          'tool-7',
        ],
      );
    });

    test('spreads health scores over buckets of 20 (lower bound included, 100 in the last) and takes the median', async () => {
      const portfolio = await getPortfolio('/v1/organizations/acme');
      assert.deepEqual(portfolio.health, {
        median: 40,
        distribution: [
          { bucket: '0-20', repositories: 1 },
          { bucket: '20-40', repositories: 1 },
          { bucket: '40-60', repositories: 1 },
          { bucket: '60-80', repositories: 0 },
          { bucket: '80-100', repositories: 2 },
          { bucket: 'unknown', repositories: 1 },
        ],
      });
      const unscored = await getPortfolio('/v1/organizations/initech');
      assert.equal(unscored.health.median, null);
      assert.deepEqual(unscored.health.distribution.at(-1), { bucket: 'unknown', repositories: 12 });
    });

    test('reads the owner on another host with ?host=', async () => {
      const portfolio = await getPortfolio('/v1/organizations/ACME?host=GitLab.Example.org');
      assert.equal(portfolio.host, 'gitlab.example.org');
      assert.equal(portfolio.owner, 'acme');
      assert.deepEqual(portfolio.repositories, { total: 1, archived: 0, forks: 0, active: 1 });
      assert.equal(portfolio.stars, 7);
      assert.deepEqual(portfolio.languages, [{ language: 'C', repositories: 1, bytes: 500, share: 1 }]);
    });
  });

  describe('activity', () => {
    test("sums the owner rollup per week, the owner's other hosts and other owners apart", async () => {
      const portfolio = await getPortfolio('/v1/organizations/acme?from=2024-02-26&to=2024-03-18');
      assert.deepEqual(portfolio.activity, {
        interval: 'week',
        from: '2024-02-26T00:00:00.000Z',
        to: '2024-03-18T00:00:00.000Z',
        series: [
          bucket('2024-02-26', { commits: 6, pullRequestsOpened: 1, stars: 5 }),
          bucket('2024-03-04'),
          bucket('2024-03-11', { issuesClosed: 4, forks: 2 }),
        ],
      });
    });

    test('counts whole weeks when from and to fall inside them, changes not yet folded included', async () => {
      await insertRepository(testDatabase.database, { owner: 'Hooli', name: 'search' });
      // Hooli's days: one folded, two still in owner_activity_changes (as the engine appends them), one of
      // them the Monday before `from` and one the day after `to`, both inside the buckets asked for.
      await insertOwnerDay(testDatabase.database, { owner: 'hooli' }, '2024-03-05', { commits: 2 });
      await testDatabase.database.query(
        `INSERT INTO owner_activity_changes (host, owner_key, day, commits, stars)
         VALUES ('github.com', 'hooli', '2024-02-26', 1, 0), ('github.com', 'hooli', '2024-03-05', 3, 1),
                ('github.com', 'hooli', '2024-03-13', 4, 0), ('github.com', 'hooli', '2024-03-18', 50, 0)`,
      );
      const portfolio = await getPortfolio('/v1/organizations/hooli?from=2024-02-28&to=2024-03-12');
      assert.deepEqual(portfolio.activity.series, [
        bucket('2024-02-26', { commits: 1 }),
        bucket('2024-03-04', { commits: 5, stars: 1 }),
        bucket('2024-03-11', { commits: 4 }),
      ]);
    });

    test('cuts days and months in UTC', async () => {
      const days = await getPortfolio('/v1/organizations/acme?interval=day&from=2024-02-29&to=2024-03-02');
      assert.deepEqual(days.activity.series, [
        bucket('2024-02-29', { commits: 4, pullRequestsOpened: 1 }),
        bucket('2024-03-01', { commits: 2, stars: 5 }),
      ]);
      const months = await getPortfolio(
        '/v1/organizations/acme?interval=month&from=2024-02-01&to=2024-04-01',
      );
      assert.deepEqual(months.activity.series, [
        bucket('2024-02-01', { commits: 4, pullRequestsOpened: 1 }),
        bucket('2024-03-01', { commits: 2, stars: 5, issuesClosed: 4, forks: 2 }),
      ]);
    });

    test('defaults to a year by week ending with today (UTC)', async () => {
      const portfolio = await getPortfolio('/v1/organizations/acme');
      const { activity } = portfolio;
      assert.equal(activity.interval, 'week');
      assert.equal(Date.parse(activity.to) - Date.parse(activity.from), 365 * dayMs);
      assert.ok(Date.parse(activity.to) > Date.now(), 'to is the end of today');
      assert.ok(activity.series.length >= 53 && activity.series.length <= 54);
      assert.equal(new Date(activity.series[0]!.start).getUTCDay(), 1, 'weeks start on Monday');
    });
  });

  describe('errors', () => {
    for (const path of [
      '/v1/organizations/nobody',
      '/v1/organizations/acme?host=bitbucket.org',
      '/v1/organizations/globex?host=gitlab.example.org',
    ]) {
      test(`answers 404 problem+json for an owner without repositories there (${path})`, async () => {
        const response = await get(path);
        assert.equal(response.status, 404);
        assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
        const problem = (await response.json()) as Problem;
        assert.equal(problem.type, 'urn:repopulse:problem:not-found');
        assertConforms('getOrganization', 404, problem);
      });
    }

    const cases: [query: string, parameter: string][] = [
      ['from=yesterday', 'from'],
      ['from=2024-02-30', 'from'],
      ['to=2024-13-01', 'to'],
      ['to=', 'to'],
      ['interval=year', 'interval'],
      ['interval=day&interval=week', 'interval'],
      ['from=2024-03-02&to=2024-03-01', 'from'],
      ['interval=day&from=2021-01-01&to=2024-01-01', 'from'],
      ['host=', 'host'],
      ['limit=5', 'limit'],
    ];
    for (const [query, parameter] of cases) {
      test(`refuses ?${query} with 400 naming "${parameter}"`, async () => {
        const response = await get(`/v1/organizations/acme?${query}`);
        assert.equal(response.status, 400);
        assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
        const problem = (await response.json()) as Problem;
        assert.equal(problem.type, 'urn:repopulse:problem:bad-request');
        assert.equal(problem.parameter, parameter);
        assert.ok(problem.detail.includes(`"${parameter}"`), problem.detail);
        assertConforms('getOrganization', 400, problem);
      });
    }

    test('checks the parameters before looking the owner up', async () => {
      const response = await get('/v1/organizations/nobody?interval=year');
      assert.equal(response.status, 400);
    });
  });

  describe('caching', () => {
    const path = '/v1/organizations/acme?interval=month&from=2024-01-01&to=2024-03-01';

    test('sends a weak ETag with Cache-Control, and 304 without a body to a matching If-None-Match', async () => {
      const first = await get(path);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('cache-control'), 'private, max-age=60');
      const etag = first.headers.get('etag');
      assert.match(etag ?? '', /^W\/".+"$/);
      const again = await get(path, { 'If-None-Match': etag! });
      assert.equal(again.status, 304);
      assert.equal(again.headers.get('etag'), etag);
      assert.equal(await again.text(), '');
    });

    test('changes the ETag when the owner rollup changes', async () => {
      const before = (await get(path)).headers.get('etag');
      await insertOwnerDay(testDatabase.database, { owner: 'acme' }, '2024-01-15', { releases: 1 });
      const response = await get(path, { 'If-None-Match': before! });
      assert.equal(response.status, 200);
      assert.notEqual(response.headers.get('etag'), before);
      const body = (await response.json()) as Portfolio;
      assert.deepEqual(body.activity.series[0], bucket('2024-01-01', { releases: 1 }));
    });
  });
});
