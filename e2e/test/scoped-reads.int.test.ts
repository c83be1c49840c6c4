import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { createApiKey, createUser } from '@repopulse/core';
import {
  seededRepositories,
  startScopedReadPlatform,
  type ScopedReadPlatform,
} from './support/scoped-read-platform.js';

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
  fastestGrowing: Named[];
  mostActive: Named[];
  languages: Array<{ language: string }>;
}

type Headers = Record<string, string>;

const fullName = (repository: Named) => `${repository.host}/${repository.owner}/${repository.name}`;

/** What a caller may read: the owners (any case) and, if limited, the hosts. */
interface Allowance {
  owners?: string[];
  hosts?: string[];
}

const allows = (allowance: Allowance, repository: Named) =>
  (allowance.owners === undefined ||
    allowance.owners.some((owner) => owner.toLowerCase() === repository.owner.toLowerCase())) &&
  (allowance.hosts === undefined || allowance.hosts.includes(repository.host));

const allowedRepositories = (allowance: Allowance) =>
  seededRepositories
    .filter((repository) => allows(allowance, repository))
    .map(fullName)
    .sort();

describe('scopes are enforced where the data is read: the real proxy in front of the real output gateway', () => {
  let platform: ScopedReadPlatform;
  let scopedKey: Headers;
  let scopedUser: Headers;
  let analyst: Headers;

  const get = (path: string, headers: Headers) => fetch(`${platform.proxyUrl}${path}`, { headers });
  const getJson = async <T>(path: string, headers: Headers): Promise<T> => {
    const response = await get(path, headers);
    assert.equal(response.status, 200, `GET ${path}: ${await response.clone().text()}`);
    return (await response.json()) as T;
  };
  const statusOf = async (path: string, headers: Headers) => {
    const response = await get(path, headers);
    await response.arrayBuffer();
    return response.status;
  };
  const logIn = async (username: string, password: string): Promise<Headers> => {
    const response = await fetch(`${platform.proxyUrl}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    assert.equal(response.status, 200);
    const { access_token: token } = (await response.json()) as { access_token: string };
    return { authorization: `Bearer ${token}` };
  };

  /** Every page of a list, following `next`. */
  const allPages = async (query: string, headers: Headers): Promise<Named[]> => {
    const items: Named[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const separator = query === '' ? '?' : '&';
      const path: string = `/api/v1/repositories${query === '' ? '' : `?${query}`}${
        cursor === null ? '' : `${separator}cursor=${encodeURIComponent(cursor)}`
      }`;
      const answer: ListAnswer = await getJson<ListAnswer>(path, headers);
      items.push(...answer.items);
      cursor = answer.next;
      if (cursor === null) return items;
    }
    throw new Error(`more than 20 pages of ${query}`);
  };

  /** The CSV list's rows, as host/owner/name (its first three columns). */
  const csvRows = async (headers: Headers): Promise<Named[]> => {
    const response = await get('/api/v1/repositories', { ...headers, accept: 'text/csv' });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/csv/);
    const [, ...lines] = (await response.text()).split('\r\n').filter((line) => line !== '');
    return lines.map((line) => {
      const [host = '', owner = '', name = ''] = line.split(',');
      return { host, owner, name };
    });
  };

  /**
   * What a caller sees in every list: how many repositories (or languages) outside its allowance each
   * shows, and how long each is. Reported as a diagnostic line, so a run shows the figures as well.
   */
  async function viewOf(t: TestContext, headers: Headers, allowance: Allowance) {
    const outside = (repositories: Named[]) =>
      repositories.filter((repository) => !allows(allowance, repository)).length;
    const allowedLanguages = new Set(
      seededRepositories
        .filter((repository) => allows(allowance, repository))
        .map(({ language }) => language),
    );
    const firstPage = await getJson<ListAnswer>('/api/v1/repositories', headers);
    const pages = await allPages('', headers);
    const search = await allPages('q=tool', headers);
    const csv = await csvRows(headers);
    const trends = await getJson<TrendsAnswer>('/api/v1/trends', headers);
    const trendsWeek = await getJson<TrendsAnswer>('/api/v1/trends?window=7d', headers);
    const view = {
      outside: {
        firstPage: outside(firstPage.items),
        allPages: outside(pages),
        search: outside(search),
        csv: outside(csv),
        fastestGrowing: outside(trends.fastestGrowing),
        mostActive: outside(trends.mostActive),
        mostActive7d: outside(trendsWeek.mostActive),
        languages: trends.languages.filter(({ language }) => !allowedLanguages.has(language)).length,
      },
      sizes: {
        firstPage: firstPage.items.length,
        csv: csv.length,
        fastestGrowing: trends.fastestGrowing.length,
        mostActive: trends.mostActive.length,
      },
      every: pages.map(fullName).sort(),
      searched: search.map(fullName).sort(),
    };
    t.diagnostic(`seen: ${JSON.stringify({ outside: view.outside, sizes: view.sizes })}`);
    return view;
  }

  const nothingOutside = {
    firstPage: 0,
    allPages: 0,
    search: 0,
    csv: 0,
    fastestGrowing: 0,
    mostActive: 0,
    mostActive7d: 0,
    languages: 0,
  };

  before(async () => {
    platform = await startScopedReadPlatform();
    const database = platform.testDatabase.database;
    const key = await createApiKey(database, {
      name: 'acme and globex dashboard',
      role: 'analyst',
      scopes: { params: { owner: ['acme', 'globex'] }, maxLimit: 2 },
    });
    scopedKey = { 'x-api-key': key.key };
    await createUser(database, {
      username: 'contractor',
      password: 'contractor-password-1',
      roles: ['analyst'],
      scopes: { params: { owner: ['ACME'], host: ['gitlab.example.org'] } },
    });
    await createUser(database, { username: 'ana', password: 'analyst-password-1', roles: ['analyst'] });
    scopedUser = await logIn('contractor', 'contractor-password-1');
    analyst = await logIn('ana', 'analyst-password-1');
  });

  after(async () => {
    await platform?.stop();
  });

  test('a key scoped to acme and globex sees only their repositories in every list, search, trend and CSV, its cap at most', async (t) => {
    const allowance = { owners: ['acme', 'globex'] };
    const view = await viewOf(t, scopedKey, allowance);
    assert.deepEqual(view.outside, nothingOutside);
    assert.deepEqual(view.sizes, { firstPage: 2, csv: 2, fastestGrowing: 2, mostActive: 2 });
    // The cap bounds a page, not what can be read: following `next` reaches every allowed repository.
    assert.deepEqual(view.every, allowedRepositories(allowance));
    assert.deepEqual(view.searched, allowedRepositories(allowance));
  });

  test('a key scoped to acme and globex is refused other owners anywhere, and gets its own owners’ portfolio and comparisons', async () => {
    assert.equal(await statusOf('/api/v1/repositories?owner=initech', scopedKey), 403);
    assert.equal(await statusOf('/api/v1/repositories/initech/printer', scopedKey), 403);
    assert.equal(await statusOf('/api/v1/organizations/initech', scopedKey), 403);
    assert.equal(await statusOf('/api/v1/compare?repos=acme/rockets,initech/printer', scopedKey), 403);
    const globex = await getJson<ListAnswer>('/api/v1/repositories?owner=GLOBEX', scopedKey);
    assert.deepEqual(globex.items.map(fullName), ['github.com/Globex/gizmo']);
    const portfolio = await getJson<{ repositories: { total: number }; topRepositories: Named[] }>(
      '/api/v1/organizations/acme',
      scopedKey,
    );
    assert.equal(portfolio.repositories.total, 3);
    assert.deepEqual(
      portfolio.topRepositories.map(({ name }) => name),
      ['rockets', 'widgets'],
      'the top repositories are capped too',
    );
    const compared = await getJson<{ repositories: Array<{ repository: Named }> }>(
      '/api/v1/compare?repos=acme/rockets,globex/gizmo',
      scopedKey,
    );
    assert.equal(compared.repositories.length, 2);
  });

  test('a user scoped to acme on gitlab.example.org sees only that repository, and is refused acme on github.com', async (t) => {
    const allowance = { owners: ['acme'], hosts: ['gitlab.example.org'] };
    const view = await viewOf(t, scopedUser, allowance);
    assert.deepEqual(view.outside, nothingOutside);
    assert.deepEqual(view.every, ['gitlab.example.org/acme/mirror']);
    // The proxy lets these through (their owner is acme, no host is named): the gateway refuses them.
    assert.equal(await statusOf('/api/v1/repositories/acme/rockets', scopedUser), 403);
    assert.equal(await statusOf('/api/v1/repositories/acme/rockets/activity', scopedUser), 403);
    assert.equal(await statusOf('/api/v1/organizations/acme', scopedUser), 403);
    assert.equal(await statusOf('/api/v1/compare?repos=acme/rockets,acme/anvil', scopedUser), 403);
    assert.equal(await statusOf('/api/v1/repositories/acme/mirror?host=gitlab.example.org', scopedUser), 200);
    const portfolio = await getJson<{ repositories: { total: number } }>(
      '/api/v1/organizations/ACME?host=gitlab.example.org',
      scopedUser,
    );
    assert.equal(portfolio.repositories.total, 1);
  });

  test('an unscoped analyst sees every owner on every host', async (t) => {
    const view = await viewOf(t, analyst, {});
    assert.deepEqual(view.every, allowedRepositories({}));
    assert.equal(view.sizes.csv, seededRepositories.length);
    const trends = await getJson<TrendsAnswer>('/api/v1/trends', analyst);
    assert.deepEqual(trends.fastestGrowing.slice(0, 2).map(fullName), [
      'github.com/initech/secret-plans',
      'gitlab.example.org/umbrella/vault',
    ]);
  });

  test('a scoped caller never gets another scope’s answer revalidated as its own', async () => {
    const path = '/api/v1/repositories/acme/rockets';
    const analystAnswer = await get(path, analyst);
    const etag = analystAnswer.headers.get('etag');
    assert.ok(etag);
    await analystAnswer.arrayBuffer();
    assert.equal((await get(path, { ...analyst, 'if-none-match': etag })).status, 304);
    const scoped = await get(path, { ...scopedKey, 'if-none-match': etag });
    assert.equal(scoped.status, 200, 'the same body under another scope has another ETag');
    assert.notEqual(scoped.headers.get('etag'), etag);
    assert.match(scoped.headers.get('vary') ?? '', /authorization/i);
    assert.match(scoped.headers.get('cache-control') ?? '', /private/);
  });
});
