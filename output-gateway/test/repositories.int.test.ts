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
import {
  healthDocument,
  insertManyRepositories,
  insertRepositoryRow,
  insertSnapshot,
} from './support/read-model-builders.js';

interface ListItem {
  host: string;
  owner: string;
  name: string;
  description: string | null;
  stars: number | null;
  healthScore: number | null;
  velocity: number | null;
  [key: string]: unknown;
}

interface ListAnswer {
  items: ListItem[];
  sort: string;
  order: string;
  limit: number;
  next: string | null;
}

interface Problem {
  status: number;
  type: string;
  detail: string;
  parameter?: string;
}

async function startGateway(testDatabase: TestDatabase) {
  const app = createApp({
    database: testDatabase.database,
    logger: testLogger(),
    registry: new Registry(),
    forwardedIdentity: testForwardedIdentity,
  });
  const server: RunningServer = await startHttpServer(app, 0, '127.0.0.1');
  const get = (path: string, headers: Record<string, string> = {}) =>
    proxiedFetch(`http://127.0.0.1:${server.port}${path}`, { headers });
  const getJson = async <T>(path: string, operationId: string): Promise<T> => {
    const response = await get(path);
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as T;
    assertConforms(operationId, 200, body);
    return body;
  };
  return { server, get, getJson };
}

const fullName = (item: { host: string; owner: string; name: string }) =>
  item.host === 'github.com' ? `${item.owner}/${item.name}` : `${item.host}/${item.owner}/${item.name}`;

describe('output gateway: repository list and detail (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  const list = async (query = '') => {
    const answer = await gateway.getJson<ListAnswer>(`/v1/repositories${query}`, 'listRepositories');
    return answer;
  };
  const names = async (query = '') => (await list(query)).items.map(fullName);

  before(async () => {
    testDatabase = await createTestDatabase();
    const database = testDatabase.database;
    // Insertion order fixes the ids: acme/widgets and the gitlab mirror tie on stars, the mirror (a later
    // id) first in descending order; acme/tool_box and the mirror have no snapshot, old-thing no stars.
    const widgets = await insertRepositoryRow(database, {
      owner: 'Acme',
      name: 'Widgets',
      description: 'Widgets for everyone, 100% pure',
      homepage: 'https://widgets.example',
      language: 'TypeScript',
      languages: { TypeScript: 12000, Shell: 300 },
      topics: ['widgets', 'ui'],
      license: 'MIT',
      defaultBranch: 'main',
      archived: false,
      fork: false,
      stars: 500,
      forks: 20,
      watchers: 31,
      openIssues: 4,
      createdAt: '2020-01-02T03:04:05Z',
      pushedAt: '2024-03-01T10:00:00Z',
    });
    await insertSnapshot(database, widgets, {
      computedAt: '2024-03-18T00:00:00Z',
      metrics: {
        commits_90d: 40,
        contributors_90d: 6,
        issue_closure_ratio_90d: { value: null, reason: 'no_issue_tracker' },
        bus_factor_365d: 2,
      },
      healthScore: 80,
    });
    const gadgets = await insertRepositoryRow(database, {
      owner: 'acme',
      name: 'gadgets',
      description: 'Gadgets, version 2.0',
      language: 'typescript',
      stars: 300,
      forks: 3,
      archived: false,
    });
    await insertSnapshot(database, gadgets, {
      computedAt: '2024-03-18T00:00:00Z',
      metrics: { commits_90d: 100 },
      healthScore: 55.5,
    });
    const oldThing = await insertRepositoryRow(database, {
      owner: 'acme',
      name: 'old-thing',
      description: null,
      language: 'Go',
      archived: true,
    });
    await insertSnapshot(database, oldThing, {
      computedAt: '2024-03-18T00:00:00Z',
      metrics: { commits_90d: 0 },
      healthScore: 10,
    });
    await insertRepositoryRow(database, {
      owner: 'other-org',
      name: 'tool_box',
      description: 'Tools, "quoted", and\nnew lines',
      language: 'Rust',
      stars: 50,
    });
    await insertRepositoryRow(database, {
      host: 'gitlab.example.org',
      owner: 'acme',
      name: 'mirror',
      language: 'TypeScript',
      stars: 500,
    });
    gateway = await startGateway(testDatabase);
  });

  after(async () => {
    await gateway.server.close();
    await testDatabase.drop();
  });

  describe('list', () => {
    test('sorts by stars, most first, ties by the later id, without a value last, 50 to a page', async () => {
      const answer = await list();
      assert.deepEqual(answer.items.map(fullName), [
        'gitlab.example.org/acme/mirror',
        'Acme/Widgets',
        'acme/gadgets',
        'other-org/tool_box',
        'acme/old-thing',
      ]);
      assert.equal(answer.sort, 'stars');
      assert.equal(answer.order, 'desc');
      assert.equal(answer.limit, 50);
      assert.equal(answer.next, null);
    });

    test('describes each repository with its metadata, health score and velocity (commits_90d)', async () => {
      const answer = await list('?q=widgets');
      assert.deepEqual(answer.items, [
        {
          host: 'github.com',
          owner: 'Acme',
          name: 'Widgets',
          description: 'Widgets for everyone, 100% pure',
          language: 'TypeScript',
          stars: 500,
          forks: 20,
          archived: false,
          healthScore: 80,
          velocity: 40,
          pushedAt: '2024-03-01T10:00:00.000Z',
          updatedAt: answer.items[0]!.updatedAt,
          computedAt: '2024-03-18T00:00:00.000Z',
        },
      ]);
      assert.ok(Date.parse(answer.items[0]!.updatedAt as string) > Date.now() - 600_000);
    });

    const orders: [query: string, expected: string[]][] = [
      [
        '?order=asc',
        [
          'other-org/tool_box',
          'acme/gadgets',
          'Acme/Widgets',
          'gitlab.example.org/acme/mirror',
          'acme/old-thing',
        ],
      ],
      [
        '?sort=health',
        [
          'Acme/Widgets',
          'acme/gadgets',
          'acme/old-thing',
          'gitlab.example.org/acme/mirror',
          'other-org/tool_box',
        ],
      ],
      [
        '?sort=health&order=asc',
        [
          'acme/old-thing',
          'acme/gadgets',
          'Acme/Widgets',
          'other-org/tool_box',
          'gitlab.example.org/acme/mirror',
        ],
      ],
      [
        '?sort=velocity',
        [
          'acme/gadgets',
          'Acme/Widgets',
          'acme/old-thing',
          'gitlab.example.org/acme/mirror',
          'other-org/tool_box',
        ],
      ],
      [
        '?sort=name',
        [
          'acme/gadgets',
          'gitlab.example.org/acme/mirror',
          'acme/old-thing',
          'other-org/tool_box',
          'Acme/Widgets',
        ],
      ],
      [
        '?sort=name&order=desc',
        [
          'Acme/Widgets',
          'other-org/tool_box',
          'acme/old-thing',
          'gitlab.example.org/acme/mirror',
          'acme/gadgets',
        ],
      ],
    ];
    for (const [query, expected] of orders) {
      test(`orders ${query} with repositories lacking the value last`, async () => {
        assert.deepEqual(await names(query), expected);
      });
    }

    for (const sort of ['stars', 'health', 'velocity', 'name']) {
      for (const order of ['asc', 'desc']) {
        test(`pages through sort=${sort}&order=${order} one at a time, each repository once, in order`, async () => {
          const whole = await names(`?sort=${sort}&order=${order}`);
          const paged: string[] = [];
          let cursor: string | null = null;
          do {
            const query: string = `?sort=${sort}&order=${order}&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
            const page = await list(query);
            assert.equal(page.limit, 1);
            paged.push(...page.items.map(fullName));
            cursor = page.next;
            assert.ok(paged.length <= whole.length, 'the pages end');
          } while (cursor);
          assert.deepEqual(paged, whole);
        });
      }
    }

    test('ends on a full last page with next null, not an empty page after it', async () => {
      const first = await list('?limit=3');
      assert.ok(first.next);
      const second = await list(`?limit=3&cursor=${first.next}`);
      assert.equal(second.items.length, 2);
      assert.equal(second.next, null);
      const exact = await list('?limit=5');
      assert.equal(exact.next, null);
    });

    test('caps the page size at 200 and says so', async () => {
      assert.equal((await list('?limit=5000')).limit, 200);
      assert.equal((await list('?limit=200')).limit, 200);
    });

    const filters: [query: string, expected: string[]][] = [
      ['?owner=ACME', ['gitlab.example.org/acme/mirror', 'Acme/Widgets', 'acme/gadgets', 'acme/old-thing']],
      ['?owner=acme&host=github.com', ['Acme/Widgets', 'acme/gadgets', 'acme/old-thing']],
      ['?host=GitLab.Example.org', ['gitlab.example.org/acme/mirror']],
      ['?language=TYPESCRIPT', ['gitlab.example.org/acme/mirror', 'Acme/Widgets', 'acme/gadgets']],
      ['?language=go', ['acme/old-thing']],
      ['?q=WIDG', ['Acme/Widgets']],
      ['?q=everyone', ['Acme/Widgets']],
      ['?q=other-', ['other-org/tool_box']],
      ['?q=0%25', ['Acme/Widgets']],
      ['?q=_', ['other-org/tool_box']],
      ['?q=nothing-like-this', []],
      ['?archived=true', ['acme/old-thing']],
      [
        '?archived=false',
        ['gitlab.example.org/acme/mirror', 'Acme/Widgets', 'acme/gadgets', 'other-org/tool_box'],
      ],
      ['?owner=acme&language=typescript&archived=false&q=g&sort=name', ['acme/gadgets', 'Acme/Widgets']],
    ];
    for (const [query, expected] of filters) {
      test(`filters ${decodeURIComponent(query)}`, async () => {
        assert.deepEqual(await names(query), expected);
      });
    }

    test('takes % and _ in q literally', async () => {
      // Unescaped, "0%" would match every text holding a 0 ("version 2.0") and "_" any character.
      assert.deepEqual(await names('?q=2.0'), ['acme/gadgets']);
    });
  });

  describe('list: bad parameters', () => {
    const cases: [query: string, parameter: string][] = [
      ['sort=popularity', 'sort'],
      ['order=up', 'order'],
      ['archived=yes', 'archived'],
      ['limit=0', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=ten', 'limit'],
      ['limit=1&limit=2', 'limit'],
      ['format=xml', 'format'],
      ['owner=', 'owner'],
      ['q=', 'q'],
      ['language=', 'language'],
      ['host=', 'host'],
      ['cursor=not-a-cursor', 'cursor'],
      [`cursor=${Buffer.from('[1,2,3]').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('["stars","desc","many","1"]').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('["stars","desc",1.5,"1"]').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('["stars","desc",1,"99999999999999999999"]').toString('base64url')}`, 'cursor'],
      ['names=commits_90d', 'names'],
    ];
    for (const [query, parameter] of cases) {
      test(`refuses ?${query} with 400 naming "${parameter}"`, async () => {
        const response = await gateway.get(`/v1/repositories?${query}`);
        assert.equal(response.status, 400);
        assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
        const problem = (await response.json()) as Problem;
        assertConforms('listRepositories', 400, problem);
        assert.equal(problem.parameter, parameter);
        assert.ok(problem.detail.includes(`"${parameter}"`), problem.detail);
      });
    }

    test('refuses a cursor made for another sort or order, naming both', async () => {
      const page = await list('?limit=1');
      for (const query of [`sort=name&cursor=${page.next}`, `order=asc&cursor=${page.next}`]) {
        const response = await gateway.get(`/v1/repositories?${query}&limit=1`);
        assert.equal(response.status, 400);
        const problem = (await response.json()) as Problem;
        assert.equal(problem.parameter, 'cursor');
        assert.match(problem.detail, /sort=stars&order=desc/);
      }
    });
  });

  describe('list as CSV', () => {
    const header =
      'host,owner,name,description,language,stars,forks,archived,healthScore,velocity,pushedAt,updatedAt,computedAt';

    test('answers text/csv to Accept: text/csv, a header then a row per repository, quoted as RFC 4180', async () => {
      const { updatedAt } = (await list('?owner=other-org')).items[0]!;
      const response = await gateway.get('/v1/repositories?owner=other-org', { Accept: 'text/csv' });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.equal(response.headers.get('cache-control'), 'private, max-age=60');
      assert.match(response.headers.get('vary') ?? '', /Accept/);
      assert.equal(
        await response.text(),
        `${header}\r\n` +
          `github.com,other-org,tool_box,"Tools, ""quoted"", and\nnew lines",Rust,50,,false,,,,${updatedAt},\r\n`,
      );
    });

    test('writes nulls as empty fields, numbers and booleans plainly, instants in RFC 3339', async () => {
      const { updatedAt } = (await list('?q=widgets')).items[0]!;
      const response = await gateway.get('/v1/repositories?format=csv&q=widgets');
      assert.equal(
        await response.text(),
        `${header}\r\n` +
          'github.com,Acme,Widgets,"Widgets for everyone, 100% pure",TypeScript,500,20,false,80,40,' +
          `2024-03-01T10:00:00.000Z,${updatedAt},2024-03-18T00:00:00.000Z\r\n`,
      );
    });

    test('answers CSV to ?format=csv whatever the Accept header, and JSON to ?format=json', async () => {
      const csv = await gateway.get('/v1/repositories?format=csv', { Accept: 'application/json' });
      assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.equal((await csv.text()).split('\r\n').length, 7);
      const json = await gateway.get('/v1/repositories?format=json', { Accept: 'text/csv' });
      assert.equal(json.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(((await json.json()) as ListAnswer).items.length, 5);
    });

    test('keeps the JSON answer for a client that accepts anything', async () => {
      const response = await gateway.get('/v1/repositories', { Accept: '*/*' });
      assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
    });

    test('honours sort, filters, cursor and limit', async () => {
      const first = await list('?sort=name&limit=2');
      const response = await gateway.get(
        `/v1/repositories?format=csv&sort=name&limit=2&cursor=${first.next}`,
      );
      const rows = (await response.text()).split('\r\n').slice(1, -1);
      assert.deepEqual(
        rows.map((row) => row.split(',').slice(0, 3).join('/')),
        ['github.com/acme/old-thing', 'github.com/other-org/tool_box'],
      );
    });

    test('sends a weak ETag, 304 to a matching If-None-Match, and a new ETag once a repository changes', async () => {
      const path = '/v1/repositories?format=csv&owner=acme';
      const first = await gateway.get(path);
      const etag = first.headers.get('etag');
      assert.match(etag ?? '', /^W\/".+"$/);
      const again = await gateway.get(path, { 'If-None-Match': etag! });
      assert.equal(again.status, 304);
      assert.equal(again.headers.get('etag'), etag);
      assert.equal(await again.text(), '');
      const otherQuery = await gateway.get(`${path}&sort=name`, { 'If-None-Match': etag! });
      assert.equal(otherQuery.status, 200);
      await testDatabase.database.query(
        `UPDATE repositories SET stars = stars + 1, updated_at = now() WHERE name = 'gadgets'`,
      );
      const changed = await gateway.get(path, { 'If-None-Match': etag! });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.get('etag'), etag);
      await testDatabase.database.query(`UPDATE repositories SET stars = stars - 1 WHERE name = 'gadgets'`);
    });
  });

  describe('list: caching', () => {
    test('sends a weak ETag with Cache-Control and Vary: Accept, and 304 to a matching If-None-Match', async () => {
      const first = await gateway.get('/v1/repositories?sort=health');
      assert.equal(first.headers.get('cache-control'), 'private, max-age=60');
      assert.match(first.headers.get('vary') ?? '', /Accept/);
      const etag = first.headers.get('etag');
      assert.match(etag ?? '', /^W\/".+"$/);
      const again = await gateway.get('/v1/repositories?sort=health', { 'If-None-Match': etag! });
      assert.equal(again.status, 304);
    });
  });

  describe('detail', () => {
    test('answers the metadata, every metric of docs/METRICS.md in its order, their details and the health', async () => {
      const answer = await gateway.getJson<{
        repository: Record<string, unknown>;
        computedAt: string;
        metrics: Record<string, number | null>;
        metricDetails: Record<string, unknown>;
        health: unknown;
        note?: string;
      }>('/v1/repositories/acme/WIDGETS', 'getRepository');
      assert.deepEqual(answer.repository, {
        host: 'github.com',
        owner: 'Acme',
        name: 'Widgets',
        description: 'Widgets for everyone, 100% pure',
        homepage: 'https://widgets.example',
        language: 'TypeScript',
        languages: { TypeScript: 12000, Shell: 300 },
        topics: ['widgets', 'ui'],
        license: 'MIT',
        defaultBranch: 'main',
        archived: false,
        fork: false,
        stars: 500,
        forks: 20,
        watchers: 31,
        openIssues: 4,
        createdAt: '2020-01-02T03:04:05.000Z',
        pushedAt: '2024-03-01T10:00:00.000Z',
        updatedAt: answer.repository.updatedAt,
      });
      assert.equal(answer.computedAt, '2024-03-18T00:00:00.000Z');
      assert.deepEqual(Object.keys(answer.metrics), [...metricNames]);
      assert.equal(answer.metrics.commits_90d, 40);
      assert.equal(answer.metrics.contributors_90d, 6);
      assert.equal(answer.metrics.issue_closure_ratio_90d, null);
      assert.equal(answer.metrics.stars, null);
      assert.deepEqual(answer.metricDetails.commits_90d, { value: 40, version: 1 });
      assert.deepEqual(answer.metricDetails.issue_closure_ratio_90d, {
        value: null,
        reason: 'no_issue_tracker',
        version: 1,
      });
      assert.deepEqual(answer.metricDetails.stars, { value: null, reason: 'not_computed' });
      assert.deepEqual(answer.health, healthDocument(80));
      assert.equal(answer.note, undefined);
    });

    test('answers empty metrics, no health and a note for a repository never computed', async () => {
      const answer = await gateway.getJson<Record<string, unknown>>(
        '/v1/repositories/other-org/tool_box',
        'getRepository',
      );
      assert.deepEqual(
        { ...answer, repository: undefined },
        {
          repository: undefined,
          computedAt: null,
          metrics: {},
          metricDetails: {},
          health: null,
          note: 'The metrics of this repository have not been computed yet: they follow its first crawl.',
        },
      );
      const repository = answer.repository as Record<string, unknown>;
      assert.equal(repository.stars, 50);
      assert.deepEqual(repository.topics, []);
      assert.equal(repository.languages, null);
    });

    test('reads a repository whose name holds dots', async () => {
      await insertRepositoryRow(testDatabase.database, { owner: 'acme', name: 'socket.io', stars: 7 });
      try {
        const answer = await gateway.getJson<{ repository: { name: string; stars: number } }>(
          '/v1/repositories/acme/Socket.IO',
          'getRepository',
        );
        assert.deepEqual([answer.repository.name, answer.repository.stars], ['socket.io', 7]);
      } finally {
        await testDatabase.database.query(`DELETE FROM repositories WHERE name = 'socket.io'`);
      }
    });

    test('reads a repository of another host with ?host=', async () => {
      const answer = await gateway.getJson<{ repository: { host: string; stars: number } }>(
        '/v1/repositories/acme/mirror?host=gitlab.example.org',
        'getRepository',
      );
      assert.equal(answer.repository.host, 'gitlab.example.org');
      assert.equal(answer.repository.stars, 500);
    });

    for (const path of ['/v1/repositories/acme/nothing', '/v1/repositories/acme/mirror?host=github.com']) {
      test(`answers 404 problem+json for a repository it does not know (${path})`, async () => {
        const response = await gateway.get(path);
        assert.equal(response.status, 404);
        const problem = (await response.json()) as Problem;
        assertConforms('getRepository', 404, problem);
        assert.match(problem.detail, /acme\/(nothing|mirror)/);
      });
    }

    for (const [query, parameter] of [
      ['host=', 'host'],
      ['names=stars', 'names'],
      ['host=a&host=b', 'host'],
    ]) {
      test(`refuses ?${query} with 400 naming "${parameter}"`, async () => {
        const response = await gateway.get(`/v1/repositories/acme/widgets?${query}`);
        assert.equal(response.status, 400);
        const problem = (await response.json()) as Problem;
        assertConforms('getRepository', 400, problem);
        assert.equal(problem.parameter, parameter);
      });
    }

    test('sends a weak ETag, 304 to a matching If-None-Match, and a new one when the snapshot changes', async () => {
      const path = '/v1/repositories/acme/old-thing';
      const first = await gateway.get(path);
      assert.equal(first.headers.get('cache-control'), 'private, max-age=60');
      const etag = first.headers.get('etag')!;
      assert.equal((await gateway.get(path, { 'If-None-Match': etag })).status, 304);
      const id = await testDatabase.database.query<{ id: string }>(
        `SELECT id::text AS id FROM repositories WHERE name = 'old-thing'`,
      );
      await insertSnapshot(testDatabase.database, id.rows[0]!.id, {
        computedAt: '2024-03-19T00:00:00Z',
        metrics: { commits_90d: 1 },
        healthScore: 12,
      });
      const changed = await gateway.get(path, { 'If-None-Match': etag });
      assert.equal(changed.status, 200);
      assert.equal(((await changed.json()) as { metrics: { commits_90d: number } }).metrics.commits_90d, 1);
    });
  });
});

describe('output gateway: repository list over more than one page of rows (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  const count = 2345;

  before(async () => {
    testDatabase = await createTestDatabase();
    await insertManyRepositories(testDatabase.database, { owner: 'bulk', prefix: 'repo', count });
    gateway = await startGateway(testDatabase);
  });

  after(async () => {
    await gateway.server.close();
    await testDatabase.drop();
  });

  test('streams every matching repository as CSV when no limit is given, each once, in order', async () => {
    const response = await gateway.get('/v1/repositories?sort=name', { Accept: 'text/csv' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-length'), null);
    assert.equal(response.headers.get('transfer-encoding'), 'chunked');
    const lines = (await response.text()).split('\r\n');
    assert.equal(lines.length, count + 2);
    const rows = lines.slice(1, -1);
    rows.forEach((row, index) => {
      const number = index + 1;
      const expected = `github.com,bulk,repo-${String(number).padStart(4, '0')},"Bulk ""${number}"", for paging",,${count - number},${number % 7},false,,,,`;
      assert.ok(row.startsWith(expected), `row ${number}: ${row}`);
      assert.match(row.slice(expected.length), /^\d{4}-\d{2}-\d{2}T[\d:.]+Z,$/);
    });
  });

  test('streams from the cursor on, and stops at the limit', async () => {
    const page = (await (await gateway.get('/v1/repositories?limit=200')).json()) as ListAnswer;
    const fromCursor = await gateway.get(`/v1/repositories?format=csv&cursor=${page.next}`);
    assert.equal((await fromCursor.text()).split('\r\n').length, count - 200 + 2);
    const limited = await gateway.get('/v1/repositories?format=csv&limit=5000');
    assert.equal((await limited.text()).split('\r\n').length, 200 + 2);
  });

  test('pages through every repository as JSON, 200 at a time', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await gateway.get(`/v1/repositories?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      const page = (await response.json()) as ListAnswer;
      assertConforms('listRepositories', 200, page);
      page.items.forEach((item) => seen.add(item.name));
      cursor = page.next;
      pages++;
    } while (cursor);
    assert.equal(seen.size, count);
    assert.equal(pages, Math.ceil(count / 200));
  });

  test('stops reading when the client goes away mid-stream, and keeps serving', async () => {
    const controller = new AbortController();
    const response = await proxiedFetch(
      `http://127.0.0.1:${gateway.server.port}/v1/repositories?format=csv`,
      {
        signal: controller.signal,
      },
    );
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.read().catch(() => undefined);
    const after = await gateway.get('/v1/repositories?limit=1');
    assert.equal(after.status, 200);
  });
});

describe('output gateway: repository list as CSV with descriptions meant as formulas (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  // Descriptions any repository owner could set, each read as a formula by a spreadsheet if left as it is.
  const hostile = [
    {
      name: 'a-hyperlink',
      description: '=HYPERLINK("http://evil","x")',
      cell: `"'=HYPERLINK(""http://evil"",""x"")"`,
    },
    { name: 'b-at', description: '@SUM(1)', cell: `"'@SUM(1)"` },
    { name: 'c-plus', description: '+1', cell: `"'+1"` },
    { name: 'd-minus', description: '-1+1', cell: `"'-1+1"` },
    { name: 'e-tab', description: '\tcmd', cell: `"'\tcmd"` },
    { name: 'f-carriage-return', description: '\r=1+1', cell: `"'\r=1+1"` },
  ];

  before(async () => {
    testDatabase = await createTestDatabase();
    for (const [index, repository] of hostile.entries()) {
      await insertRepositoryRow(testDatabase.database, {
        owner: 'hostile',
        name: repository.name,
        description: repository.description,
        stars: index,
      });
    }
    await insertRepositoryRow(testDatabase.database, {
      owner: 'hostile',
      name: 'g-plain',
      description: 'a=b',
    });
    gateway = await startGateway(testDatabase);
  });

  after(async () => {
    await gateway.server.close();
    await testDatabase.drop();
  });

  test('writes each such description with a leading apostrophe, quoted, so no spreadsheet runs it', async () => {
    const response = await gateway.get('/v1/repositories?owner=hostile&sort=name&format=csv');
    assert.equal(response.status, 200);
    const rows = (await response.text()).split('\r\n').slice(1, -1);
    assert.equal(rows.length, hostile.length + 1);
    hostile.forEach((repository, index) => {
      assert.ok(
        rows[index]!.startsWith(`github.com,hostile,${repository.name},${repository.cell},,${index},`),
        `${repository.name}: ${JSON.stringify(rows[index])}`,
      );
    });
    // Only a leading sign is a formula: a description with one inside is written as it is.
    assert.ok(rows[hostile.length]!.startsWith('github.com,hostile,g-plain,a=b,,,'), rows[hostile.length]);
  });

  test('keeps the JSON answer exactly as stored', async () => {
    const answer = await gateway.getJson<ListAnswer>(
      '/v1/repositories?owner=hostile&sort=name',
      'listRepositories',
    );
    assert.deepEqual(
      answer.items.slice(0, hostile.length).map((item) => item.description),
      hostile.map((repository) => repository.description),
    );
  });
});
