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
import { insertActivityDay } from './builders.js';
import { assertConforms } from './support/openapi-conformance.js';

const dayMs = 24 * 60 * 60 * 1000;

interface Trending {
  host: string;
  owner: string;
  name: string;
  primaryLanguage: string | null;
  stars: number | null;
  starsGained?: number;
  commits?: number;
  healthScore: number | null;
}

interface Trends {
  window: string;
  from: string;
  to: string;
  filters: { language: string | null; owner: string | null; host: string | null; scope: string };
  fastestGrowing: Trending[];
  mostActive: Trending[];
  languages: Array<{ language: string; repositories: number; bytes: number; share: number | null }>;
}

interface Problem {
  type: string;
  status: number;
  detail: string;
  parameter?: string;
}

/** A UTC day relative to today, as `YYYY-MM-DD`. */
const daysAgo = (days: number) => new Date(Date.now() - days * dayMs).toISOString().slice(0, 10);

interface RepositorySeed {
  host?: string;
  owner: string;
  name: string;
  stars: number;
  language: string;
  languages?: Record<string, number>;
  /** Days before today it was created; default: long ago. */
  createdDaysAgo?: number;
  /** Stars on days before today: the daily count snapshots. */
  starsOn?: Record<number, number>;
  healthScore?: number;
  metrics?: Record<string, number | null>;
  /** Commits on days before today: the activity rollup. */
  commitsOn?: Record<number, number>;
}

async function seedRepository(database: Queryable, seed: RepositorySeed): Promise<void> {
  const inserted = await database.query<{ id: string }>(
    `INSERT INTO repositories (host, owner, name, stars, primary_language, languages, repo_created_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() - make_interval(days => $7)) RETURNING id::text AS id`,
    [
      seed.host ?? 'github.com',
      seed.owner,
      seed.name,
      seed.stars,
      seed.language,
      seed.languages ? JSON.stringify(seed.languages) : null,
      seed.createdDaysAgo ?? 1000,
    ],
  );
  const id = inserted.rows[0]!.id;
  for (const [days, stars] of Object.entries(seed.starsOn ?? {})) {
    await database.query(
      `INSERT INTO repository_counts_daily (repository_id, day, stars, observed_at)
       VALUES ($1, $2, $3, $2::date + interval '3 hours')`,
      [id, daysAgo(Number(days)), stars],
    );
  }
  for (const [days, commits] of Object.entries(seed.commitsOn ?? {})) {
    await insertActivityDay(database, id, daysAgo(Number(days)), { commits });
  }
  if (seed.metrics) {
    const document = Object.fromEntries(
      Object.entries(seed.metrics).map(([name, value]) => [name, { value, version: 1 }]),
    );
    await database.query(
      `INSERT INTO metric_snapshots (repository_id, computed_at, metrics, health, health_score)
       VALUES ($1, now(), $2, $3, $4)`,
      [
        id,
        JSON.stringify(document),
        JSON.stringify({ score: seed.healthScore ?? null }),
        seed.healthScore ?? null,
      ],
    );
  }
}

describe('output gateway: trends (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let server: RunningServer;
  const get = (path: string, headers: Record<string, string> = {}) =>
    proxiedFetch(`http://127.0.0.1:${server.port}${path}`, { headers });
  const getTrends = async (path: string): Promise<Trends> => {
    const response = await get(path);
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as Trends;
    assertConforms('getTrends', 200, body);
    return body;
  };
  const names = (repositories: Trending[], measure: 'starsGained' | 'commits') =>
    repositories.map((repository) => `${repository.owner}/${repository.name}:${repository[measure]}`);

  before(async () => {
    testDatabase = await createTestDatabase();
    const database = testDatabase.database;
    // rocket: 400 stars 7 days ago, 100 stars 90 days ago, nothing a year ago; its snapshot's 30-day
    // gain (150) differs from what the counts would say, to tell the two sources apart.
    await seedRepository(database, {
      owner: 'Acme',
      name: 'rocket',
      stars: 500,
      language: 'Rust',
      languages: { Rust: 6000, Shell: 1000 },
      starsOn: { 7: 400, 30: 300, 90: 100 },
      healthScore: 70,
      metrics: { stars_gained_30d: 150, commits_30d: 40, commits_90d: 100, commits_365d: 300 },
      commitsOn: { 6: 4, 8: 20 },
    });
    // snail: no snapshot on the day before the 7-day window, so its latest earlier one counts.
    await seedRepository(database, {
      owner: 'acme',
      name: 'snail',
      stars: 60,
      language: 'Go',
      languages: { Go: 2000 },
      starsOn: { 10: 55, 95: 50 },
      healthScore: 30,
      metrics: { stars_gained_30d: 2, commits_30d: 1, commits_90d: 2, commits_365d: 3 },
      commitsOn: { 1: 3 },
    });
    // newborn: created 3 days ago, so it gained its whole count in any window.
    await seedRepository(database, {
      owner: 'globex',
      name: 'newborn',
      stars: 80,
      language: 'TypeScript',
      languages: { TypeScript: 1000 },
      createdDaysAgo: 3,
      starsOn: { 1: 70 },
      healthScore: 50,
      metrics: { stars_gained_30d: 80, commits_30d: 12, commits_90d: 12, commits_365d: 12 },
      commitsOn: { 0: 12 },
    });
    // shrinking: lost stars, no commits, only a primary language: never trending, not active.
    await seedRepository(database, {
      owner: 'globex',
      name: 'shrinking',
      stars: 90,
      language: 'Python',
      starsOn: { 7: 100, 30: 100, 90: 100 },
      metrics: { stars_gained_30d: -10, commits_30d: 0, commits_90d: 0, commits_365d: 0 },
    });
    // mirror: another host; its 30-day gain is unknown.
    await seedRepository(database, {
      host: 'gitlab.example.org',
      owner: 'acme',
      name: 'mirror',
      stars: 1000,
      language: 'Rust',
      languages: { Rust: 1000 },
      starsOn: { 7: 0 },
      healthScore: 90,
      metrics: { stars_gained_30d: null, commits_30d: 5, commits_90d: 5, commits_365d: 5 },
    });

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

  describe('windows', () => {
    test('defaults to 30 days: gains and commits from the latest metrics, ties by owner and name', async () => {
      const trends = await getTrends('/v1/trends');
      assert.equal(trends.window, '30d');
      assert.equal(Date.parse(trends.to) - Date.parse(trends.from), 30 * dayMs);
      assert.equal(trends.to.slice(0, 10), daysAgo(-1), 'the window ends with today (UTC)');
      assert.deepEqual(trends.filters, { language: null, owner: null, host: null, scope: 'all' });
      assert.deepEqual(names(trends.fastestGrowing, 'starsGained'), [
        'Acme/rocket:150',
        'globex/newborn:80',
        'acme/snail:2',
      ]);
      assert.deepEqual(names(trends.mostActive, 'commits'), [
        'Acme/rocket:40',
        'globex/newborn:12',
        'acme/mirror:5',
        'acme/snail:1',
      ]);
      assert.deepEqual(trends.fastestGrowing[0], {
        host: 'github.com',
        owner: 'Acme',
        name: 'rocket',
        primaryLanguage: 'Rust',
        stars: 500,
        healthScore: 70,
        starsGained: 150,
      });
    });

    test('7 days: gains from the daily counts (the latest snapshot before a gap), commits from the rollup', async () => {
      const trends = await getTrends('/v1/trends?window=7d');
      assert.equal(Date.parse(trends.to) - Date.parse(trends.from), 7 * dayMs);
      assert.deepEqual(names(trends.fastestGrowing, 'starsGained'), [
        'acme/mirror:1000',
        'Acme/rocket:100',
        'globex/newborn:80',
        'acme/snail:5',
      ]);
      assert.deepEqual(names(trends.mostActive, 'commits'), [
        'globex/newborn:12',
        'Acme/rocket:4',
        'acme/snail:3',
      ]);
    });

    test('90 days: a repository without a snapshot that old is left out, one created since gained all', async () => {
      const trends = await getTrends('/v1/trends?window=90d');
      assert.deepEqual(names(trends.fastestGrowing, 'starsGained'), [
        'Acme/rocket:400',
        'globex/newborn:80',
        'acme/snail:10',
      ]);
      assert.deepEqual(names(trends.mostActive, 'commits'), [
        'Acme/rocket:100',
        'globex/newborn:12',
        'acme/mirror:5',
        'acme/snail:2',
      ]);
    });

    test('365 days', async () => {
      const trends = await getTrends('/v1/trends?window=365d');
      assert.deepEqual(names(trends.fastestGrowing, 'starsGained'), ['globex/newborn:80']);
      assert.deepEqual(names(trends.mostActive, 'commits'), [
        'Acme/rocket:300',
        'globex/newborn:12',
        'acme/mirror:5',
        'acme/snail:3',
      ]);
    });
  });

  describe('language shares', () => {
    test('sums bytes per language, a repository known only by its primary language counting 0 bytes', async () => {
      const trends = await getTrends('/v1/trends');
      assert.deepEqual(trends.languages, [
        { language: 'Rust', repositories: 2, bytes: 7000, share: 0.6364 },
        { language: 'Go', repositories: 1, bytes: 2000, share: 0.1818 },
        { language: 'Shell', repositories: 1, bytes: 1000, share: 0.0909 },
        { language: 'TypeScript', repositories: 1, bytes: 1000, share: 0.0909 },
        { language: 'Python', repositories: 1, bytes: 0, share: 0 },
      ]);
    });

    test('among active repositories only, with scope=active', async () => {
      const trends = await getTrends('/v1/trends?scope=active');
      assert.deepEqual(
        trends.languages.map((share) => share.language),
        ['Rust', 'Go', 'Shell', 'TypeScript'],
      );
      assert.deepEqual(names(trends.fastestGrowing, 'starsGained'), [
        'Acme/rocket:150',
        'globex/newborn:80',
        'acme/snail:2',
      ]);
    });
  });

  describe('filters', () => {
    test('by primary language, without regard to case, in every part of the answer', async () => {
      const trends = await getTrends('/v1/trends?window=7d&language=rust');
      assert.deepEqual(trends.filters, { language: 'rust', owner: null, host: null, scope: 'all' });
      assert.deepEqual(names(trends.fastestGrowing, 'starsGained'), ['acme/mirror:1000', 'Acme/rocket:100']);
      assert.deepEqual(names(trends.mostActive, 'commits'), ['Acme/rocket:4']);
      assert.deepEqual(trends.languages, [
        { language: 'Rust', repositories: 2, bytes: 7000, share: 0.875 },
        { language: 'Shell', repositories: 1, bytes: 1000, share: 0.125 },
      ]);
    });

    test('by owner across hosts, or on one host', async () => {
      const everywhere = await getTrends('/v1/trends?owner=ACME');
      assert.deepEqual(names(everywhere.mostActive, 'commits'), [
        'Acme/rocket:40',
        'acme/mirror:5',
        'acme/snail:1',
      ]);
      const github = await getTrends('/v1/trends?owner=acme&host=github.com&window=7d');
      assert.deepEqual(names(github.fastestGrowing, 'starsGained'), ['Acme/rocket:100', 'acme/snail:5']);
      assert.deepEqual(
        github.languages.map((share) => share.language),
        ['Rust', 'Go', 'Shell'],
      );
    });

    test('limits the repository lists', async () => {
      const trends = await getTrends('/v1/trends?limit=1');
      assert.deepEqual(names(trends.fastestGrowing, 'starsGained'), ['Acme/rocket:150']);
      assert.deepEqual(names(trends.mostActive, 'commits'), ['Acme/rocket:40']);
      assert.equal(trends.languages.length, 5);
    });

    test('answers empty lists, not 404, when nothing matches', async () => {
      const trends = await getTrends('/v1/trends?owner=nobody');
      assert.deepEqual(
        { fastestGrowing: trends.fastestGrowing, mostActive: trends.mostActive, languages: trends.languages },
        { fastestGrowing: [], mostActive: [], languages: [] },
      );
    });
  });

  describe('bad parameters', () => {
    const cases: [query: string, parameter: string][] = [
      ['window=14d', 'window'],
      ['window=7d&window=30d', 'window'],
      ['language=', 'language'],
      ['owner=', 'owner'],
      ['host=', 'host'],
      ['scope=dormant', 'scope'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['limit=05', 'limit'],
      ['sort=stars', 'sort'],
    ];
    for (const [query, parameter] of cases) {
      test(`refuses ?${query} with 400 naming "${parameter}"`, async () => {
        const response = await get(`/v1/trends?${query}`);
        assert.equal(response.status, 400);
        assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
        const problem = (await response.json()) as Problem;
        assert.equal(problem.type, 'urn:repopulse:problem:bad-request');
        assert.equal(problem.parameter, parameter);
        assert.ok(problem.detail.includes(`"${parameter}"`), problem.detail);
        assertConforms('getTrends', 400, problem);
      });
    }

    test('accepts the largest limit', async () => {
      const response = await get('/v1/trends?limit=100');
      assert.equal(response.status, 200);
    });
  });

  describe('caching', () => {
    test('sends a weak ETag with Cache-Control, and 304 without a body to a matching If-None-Match', async () => {
      const first = await get('/v1/trends?window=90d');
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('cache-control'), 'private, max-age=60');
      const etag = first.headers.get('etag');
      assert.match(etag ?? '', /^W\/".+"$/);
      const again = await get('/v1/trends?window=90d', { 'If-None-Match': etag! });
      assert.equal(again.status, 304);
      assert.equal(await again.text(), '');
      const otherWindow = await get('/v1/trends?window=7d', { 'If-None-Match': etag! });
      assert.equal(otherWindow.status, 200);
    });
  });
});
