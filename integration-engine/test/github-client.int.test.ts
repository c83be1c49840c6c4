import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { DeferMessage } from '@repopulse/core';
import { capturedLogger, createTestDatabase, testLogger, type TestDatabase } from '@repopulse/core/testing';
import {
  AdaptivePageSize,
  createGithubClient,
  deferUntilReset,
  GithubAuthError,
  GithubNotFoundError,
  GithubQueryTooExpensiveError,
  GithubRequestError,
  GithubServerError,
  GithubUnavailableError,
  RateLimitedError,
  withAdaptivePageSize,
  type GithubClient,
  type GithubClientOptions,
} from '../src/github/github-client.js';
import { startFakeGithub, type FakeGithub } from './support/fake-github/index.js';

interface TokenRow {
  label: string;
  resource: string;
  remaining: number | null;
  reset_at: Date | null;
  rejected_at: Date | null;
  rejected_reason: string | null;
}

const repositoryQuery = `query Repository($owner: String!, $name: String!) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) { nameWithOwner stargazerCount }
}`;

const pullRequestsQuery = `query PullRequests($first: Int!) {
  repository(owner: "acme", name: "widget") {
    pullRequests(first: $first, orderBy: { field: UPDATED_AT, direction: DESC }) {
      nodes { number reviews(first: 10) { nodes { state } } }
    }
  }
}`;

const inAnHour = () => new Date(Date.now() + 3_600_000);
// GitHub resets a quota at the whole second `x-ratelimit-reset` names (the fake rounds its resets up to one).
const toSecond = (date: Date) => new Date(Math.ceil(date.getTime() / 1_000) * 1_000);

describe('GitHub client against the fake GitHub (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let github: FakeGithub;

  before(async () => {
    testDatabase = await createTestDatabase();
  });
  after(async () => {
    await testDatabase.drop();
  });
  beforeEach(async () => {
    await testDatabase.database.query('TRUNCATE github_tokens, github_http_cache');
    github = await startFakeGithub({
      seed: {
        repositories: [
          {
            owner: 'acme',
            name: 'widget',
            stars: 7,
            pullRequests: [1, 2, 3].map((number) => ({ number, createdAt: `2024-01-0${number}T00:00:00Z` })),
          },
          { owner: 'acme', name: 'banned', blocked: { reason: 'dmca' } },
        ],
      },
    });
  });
  afterEach(async () => {
    await github.close();
  });

  function client(tokens: string[], options: Partial<GithubClientOptions> = {}): GithubClient {
    return createGithubClient({
      apiUrl: github.url,
      tokens,
      database: testDatabase.database,
      logger: testLogger(),
      retryBaseDelayMs: 5,
      ...options,
    });
  }

  async function tokenRows(): Promise<TokenRow[]> {
    const { rows } = await testDatabase.database.query<TokenRow>(
      `SELECT label, resource, remaining, reset_at, rejected_at, rejected_reason
         FROM github_tokens ORDER BY label, resource`,
    );
    return rows;
  }

  test('moves to the token with the most quota left once GitHub reports the first one low', async () => {
    github.state.addToken({ token: 'ghp_tokenA111', core: { remaining: 1 } });
    github.state.addToken({ token: 'ghp_tokenB222', core: { remaining: 100 } });
    const github1 = client(['ghp_tokenA111', 'ghp_tokenB222']);

    await github1.rest('/repos/acme/widget');
    await github1.rest('/repos/acme/widget/languages');

    assert.deepEqual(
      github.state.requests.map((request) => request.token),
      ['ghp_tokenA111', 'ghp_tokenB222'],
    );
    const core = (await tokenRows()).filter((row) => row.resource === 'core');
    assert.deepEqual(
      core.map((row) => [row.label, row.remaining]),
      [
        ['…A111', 0],
        ['…B222', 99],
      ],
    );
  });

  test('a token GitHub refuses for its primary limit is set aside until its reset and another one used', async () => {
    const resetAt = inAnHour();
    github.state.addToken({ token: 'ghp_spent0001', core: { remaining: 0, resetAt } });
    github.state.addToken({ token: 'ghp_fresh0002' });

    const answer = await client(['ghp_spent0001', 'ghp_fresh0002']).rest<{ full_name: string }>(
      '/repos/acme/widget',
    );

    assert.equal(answer.data.full_name, 'acme/widget');
    assert.deepEqual(
      github.state.requests.map((request) => [request.token, request.status]),
      [
        ['ghp_spent0001', 403],
        ['ghp_fresh0002', 200],
      ],
    );
    const spent = (await tokenRows()).find((row) => row.label === '…0001' && row.resource === 'core');
    assert.equal(spent?.remaining, 0);
    assert.equal(spent?.reset_at?.getTime(), toSecond(resetAt).getTime());
  });

  test('a limit answered with a reset already due by our clock is waited out a second, not asked again at once', async () => {
    // GitHub's clock runs five seconds behind ours: its reset, two seconds ahead by its clock, is past by ours.
    await github.close();
    github = await startFakeGithub({
      now: () => new Date(Date.now() - 5_000),
      seed: { repositories: [{ owner: 'acme', name: 'widget' }] },
    });
    github.state.addToken({
      token: 'ghp_skewed0001',
      core: { remaining: 0, resetAt: new Date(Date.now() - 3_000) },
    });

    const error = await client(['ghp_skewed0001'])
      .rest('/repos/acme/widget')
      .then(
        () => assert.fail('expected RateLimitedError'),
        (caught: unknown) => caught,
      );

    assert.ok(error instanceof RateLimitedError, String(error));
    assert.ok(error.retryAfterMs > 0 && error.retryAfterMs <= 1_000, `${error.retryAfterMs}`);
    assert.deepEqual(
      github.state.requests.map((request) => request.status),
      [403],
      'one request found the limit; none followed it',
    );
  });

  test('when every token is spent, says until when, and the queue defers the message that long', async () => {
    const early = new Date(Date.now() + 600_000);
    github.state.addToken({ token: 'ghp_first0001', graphql: { remaining: 0, resetAt: inAnHour() } });
    github.state.addToken({ token: 'ghp_second002', graphql: { remaining: 0, resetAt: early } });
    const github1 = client(['ghp_first0001', 'ghp_second002']);

    const error = await github1.graphql(repositoryQuery, { owner: 'acme', name: 'widget' }).then(
      () => assert.fail('expected RateLimitedError'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof RateLimitedError);
    assert.equal(error.resource, 'graphql');
    assert.equal(error.resetAt.getTime(), toSecond(early).getTime());
    assert.ok(error.retryAfterMs > 590_000 && error.retryAfterMs <= 601_000, `${error.retryAfterMs}`);
    const deferral = deferUntilReset(error);
    assert.ok(deferral instanceof DeferMessage);
    assert.ok(
      deferral.delayMs > error.retryAfterMs - 1_000 && deferral.delayMs <= 602_000,
      `${deferral.delayMs}`,
    );

    // The pool now knows: the next call fails at once, without asking GitHub.
    const asked = github.state.requests.length;
    await assert.rejects(
      github1.graphql(repositoryQuery, { owner: 'acme', name: 'widget' }),
      RateLimitedError,
    );
    assert.equal(github.state.requests.length, asked);
  });

  test('a short secondary rate limit is waited out and the request made again', async () => {
    github.state.failNext(1, { kind: 'secondary-rate-limit', retryAfterSeconds: 1 }, { endpoint: 'rest' });
    const started = Date.now();

    const answer = await client(['ghp_patient01']).rest<{ name: string }>('/repos/acme/widget');

    assert.equal(answer.data.name, 'widget');
    assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
    assert.deepEqual(
      github.state.requests.map((request) => request.status),
      [403, 200],
    );
  });

  test('a long secondary rate limit is a RateLimitedError for the queue to defer', async () => {
    github.state.failNext(
      1,
      { kind: 'secondary-rate-limit', retryAfterSeconds: 600 },
      { endpoint: 'graphql' },
    );

    const error = await client(['ghp_patient02'])
      .graphql(repositoryQuery, { owner: 'acme', name: 'widget' })
      .catch((caught: unknown) => caught);

    assert.ok(error instanceof RateLimitedError);
    assert.equal(error.kind, 'secondary');
    assert.ok(error.retryAfterMs > 595_000 && error.retryAfterMs <= 600_000);
  });

  test('a token answered 401 is marked rejected for every replica and the next token used', async () => {
    github.state.addToken({ token: 'ghp_revoked01', rejected: true });
    github.state.addToken({ token: 'ghp_healthy02' });
    const github1 = client(['ghp_revoked01', 'ghp_healthy02']);

    const { data } = await github1.graphql<{ repository: { stargazerCount: number } }>(repositoryQuery, {
      owner: 'acme',
      name: 'widget',
    });

    assert.equal(data.repository.stargazerCount, 7);
    const revoked = (await tokenRows()).filter((row) => row.label === '…ed01');
    assert.equal(revoked.length, 2, 'both resources');
    for (const row of revoked) {
      assert.ok(row.rejected_at);
      assert.equal(row.rejected_reason, 'Bad credentials');
    }
    const states = await github1.tokenStates();
    assert.ok(states.some((state) => state.label === '…ed01' && state.rejectedReason === 'Bad credentials'));
    assert.ok(
      states.some(
        (state) => state.label === '…hy02' && state.resource === 'graphql' && state.remaining === 4_999,
      ),
    );

    // Another replica reads the rejection from the table and never tries the token.
    github.state.clearLog();
    await client(['ghp_revoked01', 'ghp_healthy02']).rest('/repos/acme/widget');
    assert.deepEqual(
      github.state.requests.map((request) => request.token),
      ['ghp_healthy02'],
    );
  });

  test('with every token rejected, fails with an error that says so', async () => {
    github.state.addToken({ token: 'ghp_revoked03', rejected: true });

    await assert.rejects(client(['ghp_revoked03']).rest('/repos/acme/widget'), (error: unknown) => {
      assert.ok(error instanceof GithubAuthError);
      assert.match(error.message, /rejected every configured token \(1\): Bad credentials/);
      return true;
    });
  });

  test('an unchanged REST answer comes from the ETag cache: 304, cost 0, quota untouched', async () => {
    github.state.addToken({ token: 'ghp_etag00001' });
    const github1 = client(['ghp_etag00001']);

    const first = await github1.rest<{ stargazers_count: number }>('/repos/acme/widget');
    const quotaAfterFirst = github.state.quotaOf('ghp_etag00001', 'core').remaining;
    const second = await github1.rest<{ stargazers_count: number }>('/repos/acme/widget');

    assert.deepEqual([first.status, first.fromCache, first.cost], [200, false, 1]);
    assert.deepEqual([second.status, second.fromCache, second.cost], [304, true, 0]);
    assert.deepEqual(second.data, first.data);
    assert.equal(github.state.quotaOf('ghp_etag00001', 'core').remaining, quotaAfterFirst);
    const { rows } = await testDatabase.database.query<{ etag: string }>(
      'SELECT etag FROM github_http_cache',
    );
    assert.equal(github.state.requests[1]?.ifNoneMatch, rows[0]?.etag);

    github.state.repository('acme', 'widget')!.stars = 8;
    const third = await github1.rest<{ stargazers_count: number }>('/repos/acme/widget');
    assert.deepEqual([third.status, third.fromCache, third.data.stargazers_count], [200, false, 8]);
  });

  test('reads every page of a REST list by its Link headers', async () => {
    for (let index = 0; index < 250; index++)
      github.state.addRepository({ owner: 'many', name: `repo-${index}` });

    const pages = [];
    for await (const page of client(['ghp_pages0001']).restPages<{ name: string }>('/orgs/many/repos'))
      pages.push(page);

    assert.deepEqual(
      pages.map((page) => page.items.length),
      [100, 100, 50],
    );
    assert.equal(new Set(pages.flatMap((page) => page.items.map((item) => item.name))).size, 250);
    assert.deepEqual(
      github.state.requests.map((request) => new URL(request.path, github.url).searchParams.get('page')),
      [null, '2', '3'],
    );
  });

  test('retries a 5xx and a dropped connection, then succeeds', async () => {
    github.state.failNext(1, { kind: 'server-error', status: 502 }, { endpoint: 'rest' });
    github.state.failNext(1, { kind: 'connection-reset' }, { endpoint: 'rest' });

    const answer = await client(['ghp_retry0001']).rest<{ name: string }>('/repos/acme/widget');

    assert.equal(answer.data.name, 'widget');
    assert.deepEqual(
      github.state.requests.map((request) => request.fault ?? request.status),
      ['server-error', 'connection-reset', 200],
    );
  });

  test('retries a request that times out', async () => {
    github.state.failNext(1, { kind: 'delay', ms: 1_000 }, { endpoint: 'rest' });

    const answer = await client(['ghp_timeout01'], { requestTimeoutMs: 200 }).rest<{ name: string }>(
      '/repos/acme/widget',
    );

    assert.equal(answer.data.name, 'widget');
    assert.equal(github.state.requests.length, 2);
  });

  test('a 5xx that persists is a GithubServerError after a few attempts', async () => {
    github.state.failNext(10, { kind: 'server-error', status: 503 });

    await assert.rejects(client(['ghp_retry0002']).rest('/repos/acme/widget'), (error: unknown) => {
      assert.ok(error instanceof GithubServerError);
      assert.equal(error.status, 503);
      assert.equal(error.permanent, false);
      return true;
    });
    assert.equal(github.state.requests.length, 3);
  });

  test('404 and 451 are permanent errors carrying GitHub’s message', async () => {
    const github1 = client(['ghp_missing01']);

    await assert.rejects(github1.rest('/repos/acme/nothing-here'), (error: unknown) => {
      assert.ok(error instanceof GithubNotFoundError);
      assert.equal(error.status, 404);
      assert.equal(error.permanent, true);
      assert.match(error.message, /^Not Found: GET \/repos\/acme\/nothing-here$/);
      return true;
    });
    await assert.rejects(github1.rest('/repos/acme/banned'), (error: unknown) => {
      assert.ok(error instanceof GithubUnavailableError);
      assert.equal(error.status, 451);
      assert.match(error.message, /Repository access blocked \(dmca\)/);
      return true;
    });
  });

  test('GraphQL NOT_FOUND is a GithubNotFoundError, or partial data when the caller allows it', async () => {
    const github1 = client(['ghp_graphql01']);

    await assert.rejects(
      github1.graphql(repositoryQuery, { owner: 'acme', name: 'nope' }),
      (error: unknown) => {
        assert.ok(error instanceof GithubNotFoundError);
        assert.equal(error.message, "Could not resolve to a Repository with the name 'acme/nope'.");
        return true;
      },
    );

    const batch = `query { rateLimit { cost } r0: repository(owner: "acme", name: "widget") { name }
      r1: repository(owner: "acme", name: "nope") { name } }`;
    const partial = await github1.graphql<{ r0: { name: string } | null; r1: null }>(batch, undefined, {
      allowPartial: true,
    });
    assert.equal(partial.data?.r0?.name, 'widget');
    assert.equal(partial.data?.r1, null);
    assert.deepEqual(
      partial.errors?.map((error) => [error.type, error.path]),
      [['NOT_FOUND', ['r1']]],
    );
    assert.equal(partial.cost, 1);
  });

  test('the page size shrinks while GitHub finds the query too heavy and grows back after successes', async () => {
    github.state.resourceLimitAboveFirst = 25;
    const github1 = client(['ghp_adaptive1']);
    const sizer = new AdaptivePageSize(100, 5, 100, 2);
    const run = (first: number) => github1.graphql(pullRequestsQuery, { first });

    await withAdaptivePageSize(sizer, run);
    assert.equal(sizer.current, 25);
    assert.deepEqual(
      github.state.requests.map((request) => request.variables?.first),
      [100, 50, 25],
    );

    github.state.resourceLimitAboveFirst = null;
    await withAdaptivePageSize(sizer, run);
    assert.equal(sizer.current, 37, 'grown by half after two successes');
  });

  test('a GraphQL 502 is a query too heavy, and at the smallest size a server error', async () => {
    github.state.failNext(1, { kind: 'server-error', status: 502 }, { endpoint: 'graphql' });
    const github1 = client(['ghp_adaptive2']);

    await assert.rejects(github1.graphql(pullRequestsQuery, { first: 10 }), GithubQueryTooExpensiveError);

    github.state.failNext(2, { kind: 'server-error', status: 504 }, { endpoint: 'graphql' });
    const sizer = new AdaptivePageSize(10, 5, 100);
    await assert.rejects(
      withAdaptivePageSize(sizer, (first) => github1.graphql(pullRequestsQuery, { first })),
      (error: unknown) =>
        error instanceof GithubServerError && !(error instanceof GithubQueryTooExpensiveError),
    );
    assert.equal(sizer.current, 5);
  });

  test('pages a GraphQL connection by its cursors, newest update first', async () => {
    for (let number = 4; number <= 7; number++) {
      github.state.addPullRequest('acme', 'widget', { number, createdAt: `2024-02-0${number}T00:00:00Z` });
    }
    const query = `query Page($after: String) {
      rateLimit { cost }
      repository(owner: "acme", name: "widget") {
        pullRequests(first: 3, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
          totalCount pageInfo { hasNextPage endCursor } nodes { number }
        }
      }
    }`;
    type Page = {
      repository: {
        pullRequests: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          nodes: { number: number }[];
        };
      };
    };
    const github1 = client(['ghp_cursors01']);
    const numbers: number[][] = [];
    let after: string | null = null;
    do {
      // Typed apart, or TypeScript sees `after` depend on the answer it is part of.
      const variables: Record<string, unknown> = { after };
      const { data } = await github1.graphql<Page>(query, variables);
      const connection = data.repository.pullRequests;
      assert.equal(connection.totalCount, 7);
      numbers.push(connection.nodes.map((node) => node.number));
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after);

    assert.deepEqual(numbers, [[7, 6, 5], [4, 3, 2], [1]]);
    assert.deepEqual(github.state.invalidQueries, []);
  });

  test('the fake GitHub refuses a query its schema does not allow, and the client says why', async () => {
    const invalid = `query { repository(owner: "acme", name: "widget") { starCount } }`;

    await assert.rejects(client(['ghp_invalid01']).graphql(invalid), (error: unknown) => {
      assert.ok(error instanceof GithubRequestError);
      assert.match(error.message, /Cannot query field "starCount" on type "Repository"/);
      return true;
    });
    assert.equal(github.state.invalidQueries.length, 1);
  });

  test('reaches GraphQL at /api/graphql under a GitHub Enterprise /api/v3 root', async () => {
    const { data } = await client(['ghp_ghes00001'], { apiUrl: `${github.url}/api/v3` }).graphql<{
      repository: { nameWithOwner: string };
    }>(repositoryQuery, { owner: 'acme', name: 'widget' });

    assert.equal(data.repository.nameWithOwner, 'acme/widget');
    assert.equal(github.state.requests[0]?.path, '/api/graphql');
  });

  test('sends GitHub’s standard headers, and no token anywhere in its logs', async () => {
    github.state.addToken({ token: 'ghp_secretRejected', rejected: true });
    github.state.addToken({ token: 'ghp_secretSpent', core: { remaining: 0 } });
    const { logger, lines } = capturedLogger('debug');
    const captured: Headers[] = [];
    const github1 = client(['ghp_secretRejected', 'ghp_secretSpent', 'ghp_secretGood'], {
      logger,
      fetch: (input, init) => {
        captured.push(new Headers(init?.headers));
        return fetch(input, init);
      },
    });

    await github1.rest('/repos/acme/widget');

    const last = captured.at(-1)!;
    assert.equal(last.get('accept'), 'application/vnd.github+json');
    assert.equal(last.get('x-github-api-version'), '2022-11-28');
    assert.equal(last.get('authorization'), 'Bearer ghp_secretGood');
    assert.equal(last.get('user-agent'), 'repo-pulse');
    const text = JSON.stringify(await lines());
    assert.match(text, /GitHub rejected a token/);
    assert.doesNotMatch(text, /ghp_secret/);
  });

  test('anonymous requests carry no Authorization header', async () => {
    let authorization: string | null | undefined;
    const answer = await client([], {
      fetch: (input, init) => {
        authorization = new Headers(init?.headers).get('authorization');
        return fetch(input, init);
      },
    }).rest<{ name: string }>('/repos/acme/widget');

    assert.equal(answer.data.name, 'widget');
    assert.equal(authorization, null);
    assert.equal(github.state.requests[0]?.token, null);
  });

  test('without a token, GraphQL is refused with an error that asks for one', async () => {
    await assert.rejects(
      client([]).graphql(repositoryQuery, { owner: 'acme', name: 'widget' }),
      (error: unknown) => {
        assert.ok(error instanceof GithubAuthError);
        assert.match(error.message, /needs a token.*requires you to be authenticated/);
        return true;
      },
    );
  });

  afterEach(() => {
    assert.deepEqual([...github.state.unimplementedFields], []);
  });
});
