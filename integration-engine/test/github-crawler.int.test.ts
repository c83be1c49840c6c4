import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { createTestDatabase, testLogger, type TestDatabase } from '@repopulse/core/testing';
import { crawlGithubRepository } from '../src/github/crawl-github-repository.js';
import {
  fetchRepositoriesMetadata,
  isMetadataFailure,
  repositoryKey,
} from '../src/github/fetch-repositories-metadata.js';
import {
  createGithubClient,
  GithubNotFoundError,
  GithubUnavailableError,
  RateLimitedError,
  type GithubClient,
} from '../src/github/github-client.js';
import { firstResponse } from '../src/github/github-graphql-to-facts.js';
import { listOwnerRepositories } from '../src/github/list-owner-repositories.js';
import { startFakeGithub, type FakeGithub, type FakeRequestRecord } from './support/fake-github/index.js';
import { maintainer, manyRepositories, widgetRepository } from './support/github-seed.js';

const logger = testLogger();

/** GraphQL requests of one named operation (`CrawlPullRequests`, `OwnerRepositories`…). */
function operations(github: FakeGithub, name: string): FakeRequestRecord[] {
  return github.state.requestsTo('graphql').filter((request) => request.query?.includes(`query ${name}(`));
}

describe('GitHub crawler (fake GitHub, real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let github: FakeGithub;
  let client: GithubClient;

  before(async () => {
    testDatabase = await createTestDatabase();
  });
  after(async () => {
    await testDatabase.drop();
  });
  beforeEach(async () => {
    await testDatabase.database.query('TRUNCATE repositories, github_http_cache, github_tokens CASCADE');
    github = await startFakeGithub({ seed: { repositories: [widgetRepository()] } });
    client = clientFor(github);
  });
  afterEach(async () => {
    // Every document the crawler sent is one GitHub would run, and the fake served every field it asked.
    assert.deepEqual(github.state.invalidQueries, []);
    assert.deepEqual([...github.state.unimplementedFields], []);
    await github.close();
  });

  function clientFor(server: FakeGithub, fetch?: typeof globalThis.fetch): GithubClient {
    return createGithubClient({
      apiUrl: server.url,
      tokens: ['ghp_crawler'],
      database: testDatabase.database,
      logger,
      retryBaseDelayMs: 1,
      ...(fetch ? { fetch } : {}),
    });
  }

  async function repositoryRow(owner = 'acme', name = 'widget'): Promise<string> {
    const { rows } = await testDatabase.database.query<{ id: string }>(
      `INSERT INTO repositories (host, owner, name) VALUES ('github.com', $1, $2) RETURNING id`,
      [owner, name],
    );
    return rows[0]!.id;
  }

  function crawl(
    repositoryId: string,
    options: { client?: GithubClient; owner?: string; name?: string } = {},
  ) {
    return testDatabase.database.transaction((transaction) =>
      crawlGithubRepository({
        client: options.client ?? client,
        transaction,
        repositoryId,
        owner: options.owner ?? 'acme',
        name: options.name ?? 'widget',
        logger,
      }),
    );
  }

  async function rows<T>(sql: string): Promise<T[]> {
    return (await testDatabase.database.query<T & Record<string, unknown>>(sql)).rows;
  }

  test('stores the metadata GitHub reports: counts, languages with sizes, topics, license, branch, times', async () => {
    const repositoryId = await repositoryRow();
    const result = await crawl(repositoryId);
    assert.equal(result.gitUrl, 'https://github.com/acme/widget.git');
    const [row] = await rows<Record<string, unknown>>(
      `SELECT github_id IS NOT NULL AS has_github_id, owner_type, description, homepage, stars, forks, watchers,
              open_issues, primary_language, languages, topics, license, default_branch, archived, is_fork,
              has_issues, repo_created_at, pushed_at, git_url
       FROM repositories`,
    );
    assert.deepEqual(row, {
      has_github_id: true,
      owner_type: 'Organization',
      description: 'Widgets for everyone',
      homepage: 'https://widget.example',
      stars: 42,
      forks: 7,
      watchers: 5,
      // Open issues and open pull requests, as REST's open_issues_count counts them.
      open_issues: 4,
      primary_language: 'TypeScript',
      languages: { TypeScript: 9_000, Shell: 100 },
      topics: ['cli', 'health'],
      license: 'MIT',
      default_branch: 'main',
      archived: false,
      is_fork: false,
      has_issues: true,
      repo_created_at: new Date('2019-01-01T00:00:00Z'),
      pushed_at: new Date('2024-05-01T00:00:00Z'),
      git_url: 'https://github.com/acme/widget.git',
    });
    assert.ok(result.cost > 0);
  });

  test('writes pull requests with their state, author, first response, approval and merger', async () => {
    const repositoryId = await repositoryRow();
    const result = await crawl(repositoryId);
    assert.equal(result.counts.pullRequests, 5);
    const pulls = await rows(
      `SELECT number, state, author_login, author_is_bot, is_draft, approved, merged_by_login,
              first_responder_login, first_response_at, closed_at, merged_at
       FROM pull_requests ORDER BY number`,
    );
    assert.deepEqual(pulls, [
      {
        number: 1,
        state: 'merged',
        author_login: 'alice',
        author_is_bot: false,
        is_draft: false,
        approved: true,
        merged_by_login: 'bob',
        // alice's own comment and dependabot's come first; bob's approval is the response.
        first_responder_login: 'bob',
        first_response_at: new Date('2024-03-01T12:00:00Z'),
        closed_at: new Date('2024-03-02T09:00:00Z'),
        merged_at: new Date('2024-03-02T09:00:00Z'),
      },
      {
        number: 2,
        state: 'open',
        author_login: 'carol',
        author_is_bot: false,
        is_draft: true,
        approved: false,
        merged_by_login: null,
        first_responder_login: null,
        first_response_at: null,
        closed_at: null,
        merged_at: null,
      },
      {
        number: 3,
        state: 'closed',
        author_login: 'dave',
        author_is_bot: false,
        is_draft: false,
        approved: false,
        merged_by_login: null,
        // Closed by a maintainer without a merge: the close answers it.
        first_responder_login: maintainer,
        first_response_at: new Date('2024-03-07T10:00:00Z'),
        closed_at: new Date('2024-03-07T10:00:00Z'),
        merged_at: null,
      },
      {
        number: 4,
        state: 'merged',
        // GraphQL says `renovate`; facts keep REST's spelling, as webhooks deliver it.
        author_login: 'renovate[bot]',
        author_is_bot: true,
        is_draft: false,
        approved: true,
        merged_by_login: maintainer,
        first_responder_login: maintainer,
        first_response_at: new Date('2024-03-08T12:00:00Z'),
        closed_at: new Date('2024-03-09T10:00:00Z'),
        merged_at: new Date('2024-03-09T10:00:00Z'),
      },
      {
        number: 5,
        state: 'open',
        author_login: 'frank',
        author_is_bot: false,
        is_draft: false,
        approved: false,
        merged_by_login: null,
        // The first human answer is comment 26, past the first page of 20.
        first_responder_login: 'grace',
        first_response_at: new Date('2024-03-12T00:00:00Z'),
        closed_at: null,
        merged_at: null,
      },
    ]);
    assert.equal(operations(github, 'MoreResponses').length, 1, 'only pull request 5 needed a later page');
    const [days] = await rows<{ opened: number; merged: number }>(
      `SELECT sum(pull_requests_opened)::int AS opened, sum(pull_requests_merged)::int AS merged FROM activity_daily`,
    );
    assert.deepEqual(days, { opened: 5, merged: 2 });
  });

  test('writes issues: last close, bot authors, and only a human other than the author as first response', async () => {
    const repositoryId = await repositoryRow();
    await crawl(repositoryId);
    const issues = await rows(
      `SELECT number, state, author_login, author_is_bot, author_association, comments, closed_at,
              first_responder_login, first_response_at
       FROM issues ORDER BY number`,
    );
    assert.deepEqual(issues, [
      {
        number: 10,
        state: 'closed',
        author_login: 'frank',
        author_is_bot: false,
        author_association: 'NONE',
        comments: 1,
        closed_at: new Date('2024-04-10T00:00:00Z'),
        first_responder_login: maintainer,
        first_response_at: new Date('2024-04-02T00:00:00Z'),
      },
      {
        number: 11,
        state: 'open',
        author_login: 'github-actions[bot]',
        author_is_bot: true,
        author_association: 'NONE',
        comments: 0,
        closed_at: null,
        first_responder_login: null,
        first_response_at: null,
      },
      {
        number: 12,
        state: 'open',
        author_login: 'grace',
        author_is_bot: false,
        author_association: 'CONTRIBUTOR',
        comments: 3,
        closed_at: null,
        // dependabot (a bot) and grace (the author) came first: neither counts.
        first_responder_login: maintainer,
        first_response_at: new Date('2024-04-06T11:00:00Z'),
      },
      {
        number: 13,
        state: 'closed',
        author_login: 'heidi',
        author_is_bot: false,
        author_association: 'NONE',
        comments: 0,
        closed_at: new Date('2024-04-08T00:00:00Z'),
        // Closed by its author: no response.
        first_responder_login: null,
        first_response_at: null,
      },
    ]);
  });

  test('writes published releases and leaves drafts out', async () => {
    const repositoryId = await repositoryRow();
    const result = await crawl(repositoryId);
    assert.equal(result.counts.releases, 2);
    assert.deepEqual(await rows('SELECT tag, name, published_at FROM releases ORDER BY tag'), [
      { tag: 'v1.0.0', name: 'First', published_at: new Date('2024-02-01T00:00:00Z') },
      { tag: 'v1.1.0', name: 'v1.1.0', published_at: new Date('2024-05-01T00:00:00Z') },
    ]);
  });

  test('advances each sync time to the start of the crawl less a margin', async () => {
    const repositoryId = await repositoryRow();
    const before = Date.now();
    const result = await crawl(repositoryId);
    const [row] = await rows<Record<string, Date>>(
      'SELECT pull_requests_synced_at, issues_synced_at, releases_synced_at FROM repositories',
    );
    for (const time of Object.values(row!)) {
      assert.ok(time.getTime() < before && time.getTime() > before - 10 * 60_000, String(time));
    }
    assert.deepEqual(row!.pull_requests_synced_at, result.syncedAt.pullRequests);
  });

  test('a second crawl reads only what changed since the first and writes no duplicates', async () => {
    const repositoryId = await repositoryRow();
    await crawl(repositoryId);
    const now = new Date().toISOString();
    const repository = github.state.repository('acme', 'widget')!;
    // carol's draft gets a maintainer's review; issue 10 is reopened.
    const draft = repository.pullRequests.find((pull) => pull.number === 2)!;
    draft.reviews.push({ ...repository.pullRequests[0]!.reviews[0]!, state: 'COMMENTED', submittedAt: now });
    draft.updatedAt = now;
    const reopened = repository.issues.find((issue) => issue.number === 10)!;
    Object.assign(reopened, { closedAt: null, stateReason: 'REOPENED', updatedAt: now });
    github.state.clearLog();

    const second = await crawl(repositoryId);
    assert.deepEqual(second.counts, { pullRequests: 1, issues: 1, releases: 0 });
    // One page each: the first item older than the last crawl ends the reading.
    assert.equal(operations(github, 'CrawlPullRequests').length, 1);
    const issueRequests = operations(github, 'CrawlIssues');
    assert.equal(issueRequests.length, 1);
    assert.ok(
      typeof issueRequests[0]!.variables?.since === 'string',
      'issues are asked since the last crawl',
    );
    assert.deepEqual(await rows('SELECT count(*)::int AS n FROM pull_requests'), [{ n: 5 }]);
    const [draftRow] = await rows<{ first_responder_login: string; first_response_at: Date }>(
      'SELECT first_responder_login, first_response_at FROM pull_requests WHERE number = 2',
    );
    assert.deepEqual(draftRow, { first_responder_login: 'bob', first_response_at: new Date(now) });
    assert.deepEqual(await rows('SELECT state, closed_at FROM issues WHERE number = 10'), [
      { state: 'open', closed_at: null },
    ]);
  });

  test('a repository GitHub does not have is a GithubNotFoundError, and nothing is written', async () => {
    const repositoryId = await repositoryRow('acme', 'vanished');
    await assert.rejects(crawl(repositoryId, { name: 'vanished' }), GithubNotFoundError);
    assert.deepEqual(await rows('SELECT stars, pull_requests_synced_at FROM repositories'), [
      { stars: null, pull_requests_synced_at: null },
    ]);
  });

  test('a blocked repository (451) is a GithubUnavailableError', async () => {
    github.state.seed({ repositories: [{ owner: 'acme', name: 'dmca', blocked: { reason: 'dmca' } }] });
    const repositoryId = await repositoryRow('acme', 'dmca');
    await assert.rejects(crawl(repositoryId, { name: 'dmca' }), GithubUnavailableError);
  });

  test('with a database, a crawl cut short by the rate limit keeps the parts it finished', async () => {
    // GitHub asks for a pause of an hour when the crawl reaches releases.
    const limited: typeof fetch = async (input, init) => {
      if (typeof init?.body === 'string' && init.body.includes('CrawlReleases')) {
        github.state.failNext(
          1,
          { kind: 'secondary-rate-limit', retryAfterSeconds: 3_600 },
          { endpoint: 'graphql' },
        );
      }
      return fetch(input, init);
    };
    const repositoryId = await repositoryRow();
    await assert.rejects(
      testDatabase.database.transaction((transaction) =>
        crawlGithubRepository({
          client: clientFor(github, limited),
          transaction,
          database: testDatabase.database,
          repositoryId,
          owner: 'acme',
          name: 'widget',
          since: { pullRequests: null, issues: null, releases: null },
          logger,
        }),
      ),
      RateLimitedError,
    );
    const [row] = await rows<Record<string, unknown>>(
      `SELECT stars, pull_requests_synced_at IS NOT NULL AS pulls, issues_synced_at IS NOT NULL AS issues,
              releases_synced_at IS NOT NULL AS releases,
              (SELECT count(*)::int FROM pull_requests) AS pull_requests, (SELECT count(*)::int FROM issues) AS issue_rows
       FROM repositories`,
    );
    assert.deepEqual(row, {
      stars: 42,
      pulls: true,
      issues: true,
      releases: false,
      pull_requests: 5,
      issue_rows: 4,
    });
  });

  test('smaller pages when GitHub finds a page too heavy (RESOURCE_LIMITS_EXCEEDED, 502), and the crawl completes', async () => {
    github.state.resourceLimitAboveFirst = 60;
    // The first pull request page times out (502) once.
    let armed = false;
    const faulty: typeof fetch = async (input, init) => {
      if (!armed && typeof init?.body === 'string' && init.body.includes('CrawlPullRequests')) {
        armed = true;
        github.state.failNext(1, { kind: 'server-error', status: 502 }, { endpoint: 'graphql' });
      }
      return fetch(input, init);
    };
    const repositoryId = await repositoryRow();
    const result = await crawl(repositoryId, { client: clientFor(github, faulty) });
    assert.deepEqual(result.counts, { pullRequests: 5, issues: 4, releases: 2 });
    const firsts = (name: string) => operations(github, name).map((request) => request.variables?.first);
    // The timed-out request (the fake answered before reading it) asked for 50; the retry asked for 25.
    assert.equal(github.state.requests.filter((request) => request.fault === 'server-error').length, 1);
    assert.deepEqual(firsts('CrawlPullRequests'), [25]);
    assert.deepEqual(firsts('CrawlReleases'), [100, 50]);
  });

  test('lists every repository of an organisation over several pages, forks marked', async () => {
    github.state.seed({
      owners: [{ login: 'bigorg', type: 'Organization' }],
      repositories: manyRepositories('bigorg', 250),
    });
    const listing = await listOwnerRepositories({ client, login: 'bigorg' });
    assert.equal(listing.ownerType, 'Organization');
    assert.equal(listing.repositories.length, 250);
    assert.equal(new Set(listing.repositories.map((repository) => repository.name)).size, 250);
    assert.equal(listing.repositories.filter((repository) => repository.metadata.isFork).length, 25);
    const last = listing.repositories.at(-1)!;
    assert.equal(last.name, 'project-249');
    assert.equal(last.metadata.stars, 249);
    assert.deepEqual(last.metadata.languages, { Go: 1_249 });
    assert.equal(operations(github, 'OwnerRepositories').length, 3);
  });

  test('lists a user’s repositories; an unknown login is a GithubNotFoundError', async () => {
    github.state.seed({
      owners: [{ login: 'octo', type: 'User' }],
      repositories: manyRepositories('octo', 3),
    });
    const listing = await listOwnerRepositories({ client, login: 'octo' });
    assert.equal(listing.ownerType, 'User');
    assert.deepEqual(
      listing.repositories.map((repository) => `${repository.owner}/${repository.name}`),
      ['octo/project-000', 'octo/project-001', 'octo/project-002'],
    );
    await assert.rejects(listOwnerRepositories({ client, login: 'nobody-here' }), GithubNotFoundError);
  });

  test('the listing shrinks its pages when GitHub refuses 100 repositories at once', async () => {
    github.state.seed({ repositories: manyRepositories('bigorg', 120) });
    github.state.resourceLimitAboveFirst = 60;
    const listing = await listOwnerRepositories({ client, login: 'bigorg' });
    assert.equal(listing.repositories.length, 120);
    assert.deepEqual(
      operations(github, 'OwnerRepositories').map((request) => request.variables?.first),
      [100, 50, 50, 50],
    );
  });

  test('fetches the metadata of 60 repositories in two requests, reporting a missing one without failing the others', async () => {
    github.state.seed({ repositories: manyRepositories('many', 59) });
    const repositories = [
      ...manyRepositories('many', 59).map(({ owner, name }) => ({ owner, name })),
      { owner: 'many', name: 'does-not-exist' },
    ];
    let cost = 0;
    const results = await fetchRepositoriesMetadata({
      client,
      repositories,
      onCost: (spent) => (cost += spent),
    });
    assert.equal(results.size, 60);
    assert.equal(operations(github, 'RepositoriesMetadata').length, 2);
    const missing = results.get('many/does-not-exist')!;
    assert.ok(isMetadataFailure(missing));
    assert.equal(missing.error, 'not_found');
    const found = results.get(repositoryKey({ owner: 'many', name: 'project-042' }))!;
    assert.ok(!isMetadataFailure(found));
    assert.equal(found.stars, 42);
    assert.equal([...results.values()].filter(isMetadataFailure).length, 1);
    assert.ok(cost >= 2);
  });
});

describe('first response from GitHub GraphQL nodes', () => {
  const user = (login: string) => ({ __typename: 'User', login });
  const at = (hour: number) => `2024-01-01T${String(hour).padStart(2, '0')}:00:00Z`;

  test('the earliest candidate by a human other than the author, whatever order they come in', () => {
    assert.deepEqual(
      firstResponse(user('Alice'), [
        { at: at(5), actor: user('bob') },
        { at: at(1), actor: user('alice') },
        { at: at(2), actor: { __typename: 'Bot', login: 'dependabot' } },
        { at: at(3), actor: user('renovate[bot]') },
        { at: at(4), actor: user('carol') },
      ]),
      { at: at(4), login: 'carol' },
    );
  });

  test('a deleted account cannot be told from the author and does not count; a deleted author lets anyone count', () => {
    assert.equal(firstResponse(user('alice'), [{ at: at(1), actor: null }]), undefined);
    assert.deepEqual(firstResponse(null, [{ at: at(1), actor: user('bob') }]), { at: at(1), login: 'bob' });
  });
});
