import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { startHttpServer, type Queryable, type RunningServer } from '@repopulse/core';
import {
  createTestDatabase,
  proxyHeadersFor,
  testForwardedIdentity,
  testLogger,
  type TestDatabase,
} from '@repopulse/core/testing';
import { createApp } from '../src/app.js';
import { insertActivityDay } from './builders.js';
import { assertConforms } from './support/openapi-conformance.js';
import { insertRepositoryRow, insertSnapshot } from './support/read-model-builders.js';

interface Named {
  host: string;
  owner: string;
  name: string;
}

interface ListAnswer {
  items: Named[];
  limit: number;
  next: string | null;
}

interface TrendsAnswer {
  filters: Record<string, unknown>;
  fastestGrowing: Named[];
  mostActive: Named[];
  languages: Array<{ language: string; repositories: number; bytes: number; share: number | null }>;
}

type Headers = Record<string, string>;

interface Seed extends Named {
  language: string;
  languages: Record<string, number>;
  stars: number;
  gained: number;
  commits: number;
}

// Other owners' repositories lead every unscoped list, so an answer that leaks them shows it at once.
const seeds: Seed[] = [
  {
    host: 'github.com',
    owner: 'Acme',
    name: 'rockets',
    language: 'Rust',
    languages: { Rust: 5000, Shell: 500 },
    stars: 500,
    gained: 50,
    commits: 20,
  },
  {
    host: 'github.com',
    owner: 'acme',
    name: 'widgets',
    language: 'TypeScript',
    languages: { TypeScript: 3000 },
    stars: 300,
    gained: 30,
    commits: 10,
  },
  {
    host: 'github.com',
    owner: 'acme',
    name: 'anvil',
    language: 'Rust',
    languages: { Rust: 100 },
    stars: 10,
    gained: 1,
    commits: 1,
  },
  {
    host: 'github.com',
    owner: 'Globex',
    name: 'gizmo',
    language: 'Go',
    languages: { Go: 2000, Shell: 100 },
    stars: 200,
    gained: 20,
    commits: 5,
  },
  {
    host: 'github.com',
    owner: 'initech',
    name: 'secret-plans',
    language: 'COBOL',
    languages: { COBOL: 9000 },
    stars: 900,
    gained: 90,
    commits: 40,
  },
  {
    host: 'github.com',
    owner: 'initech',
    name: 'printer',
    language: 'Go',
    languages: { Go: 1000 },
    stars: 100,
    gained: 10,
    commits: 2,
  },
  {
    host: 'gitlab.example.org',
    owner: 'acme',
    name: 'mirror',
    language: 'Rust',
    languages: { Rust: 500 },
    stars: 50,
    gained: 5,
    commits: 3,
  },
  {
    host: 'gitlab.example.org',
    owner: 'umbrella',
    name: 'vault',
    language: 'Haskell',
    languages: { Haskell: 7000 },
    stars: 700,
    gained: 70,
    commits: 30,
  },
];

const fullName = (repository: Named) => `${repository.host}/${repository.owner}/${repository.name}`;
const namesOf = (repositories: readonly Named[]) => repositories.map(fullName).sort();
const seedsWhere = (keep: (seed: Seed) => boolean) => namesOf(seeds.filter(keep));
const ofOwners =
  (...owners: string[]) =>
  (seed: Seed) =>
    owners.includes(seed.owner.toLowerCase());

const today = () => new Date().toISOString().slice(0, 10);

async function seedRepositories(database: Queryable): Promise<void> {
  for (const seed of seeds) {
    const id = await insertRepositoryRow(database, {
      ...seed,
      description: `The ${seed.name} tool`,
      forks: 1,
      archived: false,
    });
    await insertSnapshot(database, id, {
      computedAt: new Date().toISOString(),
      metrics: { stars_gained_30d: seed.gained, commits_30d: seed.commits, commits_90d: seed.commits },
      healthScore: seed.stars / 10,
    });
    await insertActivityDay(database, id, today(), { commits: seed.commits });
  }
}

const acmeAndGlobex: Headers = { 'X-Scope-Param-Owner': 'ACME,globex' };

describe('output gateway: the caller’s scopes narrow every answer (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let server: RunningServer;
  /** As the permission proxy forwards it: the scope headers given are signed with the rest. */
  const get = (path: string, headers: Headers = {}) => {
    const scope = Object.fromEntries(Object.entries(headers).filter(([name]) => /^x-scope-/i.test(name)));
    const others = Object.fromEntries(Object.entries(headers).filter(([name]) => !/^x-scope-/i.test(name)));
    const url = new URL(path, `http://127.0.0.1:${server.port}`);
    const caller = { principal: 'api-key:1', roles: ['analyst' as const] };
    const signed = proxyHeadersFor('GET', `${url.pathname}${url.search}`, caller, {
      rawIdentityHeaders: scope,
    });
    return fetch(url, { headers: { ...others, ...signed } });
  };
  const getJson = async <T>(path: string, headers: Headers, operationId: string): Promise<T> => {
    const response = await get(path, headers);
    assert.equal(response.status, 200, `GET ${path}: ${await response.clone().text()}`);
    const body = (await response.json()) as T;
    assertConforms(operationId, 200, body);
    return body;
  };
  const list = (query: string, headers: Headers) =>
    getJson<ListAnswer>(`/v1/repositories${query}`, headers, 'listRepositories');
  const trends = (query: string, headers: Headers) =>
    getJson<TrendsAnswer>(`/v1/trends${query}`, headers, 'getTrends');
  /** Every page of the list, following `next`. */
  const allPages = async (query: string, headers: Headers): Promise<Named[]> => {
    const items: Named[] = [];
    let answer = await list(`?${query}`, headers);
    items.push(...answer.items);
    for (let page = 0; answer.next !== null; page++) {
      assert.ok(page < 20, 'at most 20 pages');
      answer = await list(`?${query}&cursor=${encodeURIComponent(answer.next)}`, headers);
      items.push(...answer.items);
    }
    return items;
  };
  const csvRows = async (query: string, headers: Headers): Promise<Named[]> => {
    const response = await get(`/v1/repositories?format=csv${query}`, headers);
    assert.equal(response.status, 200);
    const [, ...lines] = (await response.text()).split('\r\n').filter((line) => line !== '');
    return lines.map((line) => {
      const [host = '', owner = '', name = ''] = line.split(',');
      return { host, owner, name };
    });
  };
  /** Asserts a 403 problem document that conforms to the operation's. */
  const assertRefused = async (path: string, headers: Headers, operationId: string) => {
    const response = await get(path, headers);
    assert.equal(response.status, 403, `GET ${path}`);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const problem = (await response.json()) as { status: number; detail: string };
    assertConforms(operationId, 403, problem);
    return problem;
  };

  before(async () => {
    testDatabase = await createTestDatabase();
    await seedRepositories(testDatabase.database);
    const app = createApp({
      database: testDatabase.database,
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

  describe('owners', () => {
    const allowed = seedsWhere(ofOwners('acme', 'globex'));

    test('narrow the repository list, every sort of it and its search to the owners, matched without regard to case', async () => {
      for (const sort of ['stars', 'health', 'velocity', 'name']) {
        assert.deepEqual(namesOf(await allPages(`sort=${sort}&limit=2`, acmeAndGlobex)), allowed, sort);
      }
      assert.deepEqual(namesOf((await list('', acmeAndGlobex)).items), allowed);
      assert.deepEqual(namesOf(await allPages('q=tool', acmeAndGlobex)), allowed);
      assert.deepEqual(namesOf(await allPages('q=secret', acmeAndGlobex)), []);
      assert.deepEqual(namesOf(await allPages('language=go', acmeAndGlobex)), ['github.com/Globex/gizmo']);
      assert.deepEqual(namesOf(await allPages('host=gitlab.example.org', acmeAndGlobex)), [
        'gitlab.example.org/acme/mirror',
      ]);
    });

    test('an owner filter outside them is refused with 403; one inside narrows further', async () => {
      const problem = await assertRefused(
        '/v1/repositories?owner=initech',
        acmeAndGlobex,
        'listRepositories',
      );
      assert.match(problem.detail, /initech/);
      await assertRefused('/v1/trends?owner=initech', acmeAndGlobex, 'getTrends');
      assert.deepEqual(namesOf((await list('?owner=GLOBEX', acmeAndGlobex)).items), [
        'github.com/Globex/gizmo',
      ]);
    });

    test('narrow the CSV stream to the owners', async () => {
      assert.deepEqual(namesOf(await csvRows('', acmeAndGlobex)), allowed);
      assert.deepEqual(namesOf(await csvRows('', {})), namesOf(seeds));
    });

    test('trends are computed over the owners only: fastest-growing, most active and language shares', async () => {
      const month = await trends('', acmeAndGlobex);
      assert.deepEqual(month.fastestGrowing.map(fullName), [
        'github.com/Acme/rockets',
        'github.com/acme/widgets',
        'github.com/Globex/gizmo',
        'gitlab.example.org/acme/mirror',
        'github.com/acme/anvil',
      ]);
      assert.deepEqual(namesOf(month.mostActive), allowed);
      assert.deepEqual(month.filters, { language: null, owner: null, host: null, scope: 'all' });
      const week = await trends('?window=7d', acmeAndGlobex);
      assert.deepEqual(namesOf(week.mostActive), allowed);
      const year = await trends('?window=365d', acmeAndGlobex);
      assert.deepEqual(namesOf(year.fastestGrowing), []);
      // Shares of the allowed repositories' bytes: Rust 5600, TypeScript 3000, Go 2000, Shell 600.
      assert.deepEqual(
        month.languages.map(({ language, bytes, share }) => [language, bytes, share]),
        [
          ['Rust', 5600, 0.5],
          ['TypeScript', 3000, 0.2679],
          ['Go', 2000, 0.1786],
          ['Shell', 600, 0.0536],
        ],
      );
    });

    test('the detail, activity, metrics, portfolio and comparisons of another owner are refused with 403', async () => {
      await assertRefused('/v1/repositories/initech/printer', acmeAndGlobex, 'getRepository');
      await assertRefused(
        '/v1/repositories/INITECH/printer/activity',
        acmeAndGlobex,
        'getRepositoryActivity',
      );
      await assertRefused(
        '/v1/repositories/initech/printer/metrics',
        acmeAndGlobex,
        'getRepositoryMetricSeries',
      );
      await assertRefused('/v1/organizations/initech', acmeAndGlobex, 'getOrganization');
      await assertRefused(
        '/v1/compare?repos=acme/rockets,initech/printer',
        acmeAndGlobex,
        'compareRepositories',
      );
      // Refused before it is looked up: a scoped caller cannot learn which other owners exist.
      await assertRefused('/v1/repositories/nobody/nothing', acmeAndGlobex, 'getRepository');
    });

    test('the detail, activity, metrics, portfolio and comparisons of their own repositories are answered', async () => {
      await getJson('/v1/repositories/acme/rockets', acmeAndGlobex, 'getRepository');
      await getJson('/v1/repositories/acme/rockets/activity', acmeAndGlobex, 'getRepositoryActivity');
      await getJson('/v1/repositories/acme/rockets/metrics', acmeAndGlobex, 'getRepositoryMetricSeries');
      await getJson('/v1/organizations/Globex', acmeAndGlobex, 'getOrganization');
      await getJson('/v1/compare?repos=acme/rockets,globex/gizmo', acmeAndGlobex, 'compareRepositories');
    });

    test('an empty list of owners allows none, never every one', async () => {
      const nobody = { 'X-Scope-Param-Owner': '' };
      assert.deepEqual((await list('', nobody)).items, []);
      assert.deepEqual(await csvRows('', nobody), []);
      const answer = await trends('', nobody);
      assert.deepEqual([answer.fastestGrowing, answer.mostActive, answer.languages], [[], [], []]);
      await assertRefused('/v1/repositories/acme/rockets', nobody, 'getRepository');
    });
  });

  describe('hosts and languages', () => {
    const gitlab = { 'X-Scope-Param-Host': 'GitLab.example.org' };

    test('a host scope narrows lists and trends to the host, and refuses others, github.com by default included', async () => {
      const onGitlab = seedsWhere((seed) => seed.host === 'gitlab.example.org');
      assert.deepEqual(namesOf(await allPages('', gitlab)), onGitlab);
      assert.deepEqual(namesOf(await csvRows('', gitlab)), onGitlab);
      assert.deepEqual(namesOf((await trends('', gitlab)).fastestGrowing), onGitlab);
      await assertRefused('/v1/repositories?host=github.com', gitlab, 'listRepositories');
      await assertRefused('/v1/repositories/acme/rockets', gitlab, 'getRepository');
      await assertRefused('/v1/organizations/acme', gitlab, 'getOrganization');
      await assertRefused('/v1/compare?repos=acme/rockets,acme/anvil', gitlab, 'compareRepositories');
      await getJson('/v1/repositories/acme/mirror?host=gitlab.example.org', gitlab, 'getRepository');
      await getJson('/v1/organizations/umbrella?host=gitlab.example.org', gitlab, 'getOrganization');
    });

    test('owner and host scopes together allow only what both allow', async () => {
      const headers = { ...gitlab, 'X-Scope-Param-Owner': 'acme' };
      assert.deepEqual(namesOf(await allPages('', headers)), ['gitlab.example.org/acme/mirror']);
      assert.deepEqual(namesOf((await trends('?window=7d', headers)).mostActive), [
        'gitlab.example.org/acme/mirror',
      ]);
    });

    test('a language scope narrows the list, its search, the CSV and the trends to those primary languages', async () => {
      const goOnly = { 'X-Scope-Param-Language': 'go' };
      const goRepositories = seedsWhere((seed) => seed.language === 'Go');
      assert.deepEqual(namesOf(await allPages('', goOnly)), goRepositories);
      assert.deepEqual(namesOf(await allPages('q=tool', goOnly)), goRepositories);
      assert.deepEqual(namesOf(await csvRows('', goOnly)), goRepositories);
      const answer = await trends('', goOnly);
      assert.deepEqual(namesOf(answer.fastestGrowing), goRepositories);
      assert.deepEqual(
        answer.languages.map(({ language }) => language),
        ['Go', 'Shell'],
      );
      await assertRefused('/v1/repositories?language=Rust', goOnly, 'listRepositories');
      await assertRefused('/v1/trends?language=rust', goOnly, 'getTrends');
    });

    test('a scope on a parameter that filters no data only limits its values: it widens nothing', async () => {
      const headers = { ...acmeAndGlobex, 'X-Scope-Param-Window': '30d', 'X-Scope-Param-Topic': 'ui' };
      assert.deepEqual(namesOf(await allPages('', headers)), seedsWhere(ofOwners('acme', 'globex')));
      assert.deepEqual(
        namesOf((await trends('?window=30d', headers)).mostActive),
        seedsWhere(ofOwners('acme', 'globex')),
      );
      await assertRefused('/v1/trends?window=7d', headers, 'getTrends');
    });
  });

  describe('the limit cap', () => {
    const capped = { ...acmeAndGlobex, 'X-Scope-Max-Limit': '2' };

    test('caps a page when limit is left out, and when it asks for more; a smaller limit stays', async () => {
      const first = await list('', capped);
      assert.equal(first.items.length, 2);
      assert.equal(first.limit, 2);
      assert.ok(first.next);
      assert.equal((await list('?limit=150', capped)).items.length, 2);
      assert.equal((await list('?limit=1', capped)).limit, 1);
      assert.equal(
        (await list('', { 'X-Scope-Max-Limit': '500' })).limit,
        50,
        'the default under a larger cap',
      );
      // The cap bounds a page, not what can be read: the cursor goes on to every allowed repository.
      assert.deepEqual(namesOf(await allPages('', capped)), seedsWhere(ofOwners('acme', 'globex')));
    });

    test('stops a CSV stream after the cap, from the cursor on', async () => {
      const rows = await csvRows('', capped);
      assert.deepEqual(rows.map(fullName), ['github.com/Acme/rockets', 'github.com/acme/widgets']);
      assert.equal((await csvRows('&limit=1', capped)).length, 1);
      const next = (await list('', capped)).next!;
      assert.deepEqual((await csvRows(`&cursor=${encodeURIComponent(next)}`, capped)).map(fullName), [
        'github.com/Globex/gizmo',
        'gitlab.example.org/acme/mirror',
      ]);
      assert.equal((await csvRows('', { 'X-Scope-Max-Limit': '3' })).length, 3);
    });

    test('caps the trends’ lists and a portfolio’s top repositories', async () => {
      const answer = await trends('', capped);
      assert.deepEqual(answer.fastestGrowing.map(fullName), [
        'github.com/Acme/rockets',
        'github.com/acme/widgets',
      ]);
      assert.equal(answer.mostActive.length, 2);
      assert.equal((await trends('?limit=1', capped)).mostActive.length, 1);
      const portfolio = await getJson<{ topRepositories: unknown[]; repositories: { total: number } }>(
        '/v1/organizations/acme',
        capped,
        'getOrganization',
      );
      assert.equal(portfolio.repositories.total, 3, 'the totals count every repository');
      assert.equal(portfolio.topRepositories.length, 2);
    });

    test('an unreadable cap is refused, never ignored', async () => {
      // Refused with the signature check, before any route: the identity as a whole cannot be read.
      for (const cap of ['lots', '0']) {
        const response = await get('/v1/repositories', { 'X-Scope-Max-Limit': cap });
        assert.equal(response.status, 401, cap);
        assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
      }
    });
  });

  describe('caching', () => {
    test('the same answer under two scopes has two ETags, and neither revalidates the other', async () => {
      const path = '/v1/repositories/acme/rockets';
      const unscoped = await get(path);
      const scoped = await get(path, { 'X-Scope-Param-Owner': 'acme' });
      assert.equal(await unscoped.text(), await scoped.text(), 'the same body');
      const etag = unscoped.headers.get('etag')!;
      assert.notEqual(scoped.headers.get('etag'), etag);
      assert.equal((await get(path, { 'If-None-Match': etag })).status, 304);
      assert.equal((await get(path, { 'X-Scope-Param-Owner': 'acme', 'If-None-Match': etag })).status, 200);
      // The same scope written in another order or case is the same scope.
      const reordered = await get(path, { 'X-Scope-Param-Owner': 'globex,ACME' });
      const again = await get(path, { 'X-Scope-Param-Owner': 'acme,globex' });
      assert.equal(reordered.headers.get('etag'), again.headers.get('etag'));
    });

    test('a CSV’s ETag names the scope too', async () => {
      const unscoped = await get('/v1/repositories?format=csv&owner=acme');
      const scoped = await get('/v1/repositories?format=csv&owner=acme', { 'X-Scope-Max-Limit': '100' });
      assert.equal(await unscoped.text(), await scoped.text());
      assert.notEqual(unscoped.headers.get('etag'), scoped.headers.get('etag'));
    });

    test('answers are private and vary with who asks', async () => {
      const answer = await get('/v1/trends', acmeAndGlobex);
      assert.equal(answer.headers.get('cache-control'), 'private, max-age=60');
      const vary = (answer.headers.get('vary') ?? '').toLowerCase().split(/,\s*/);
      for (const header of [
        'accept',
        'authorization',
        'x-api-key',
        'x-scope-param-owner',
        'x-scope-max-limit',
      ]) {
        assert.ok(vary.includes(header), `Vary names ${header}: ${vary.join(', ')}`);
      }
    });
  });
});
