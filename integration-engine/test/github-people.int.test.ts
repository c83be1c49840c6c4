import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { createEnvelope } from '@repopulse/core';
import { createTestDatabase, testLogger, type TestDatabase } from '@repopulse/core/testing';
import { crawlGitRepository } from '../src/git-crawler/crawl-git-repository.js';
import { crawlGithubRepository } from '../src/github/crawl-github-repository.js';
import { createGithubClient, type GithubClient } from '../src/github/github-client.js';
import { createMetricsComputeHandler } from '../src/metrics/handle-metrics-compute.js';
import { startFakeGithub, type FakeGithub, type FakeRepositorySeed } from './support/fake-github/index.js';
import {
  createGitRepository,
  temporaryDirectory,
  type Identity,
  type TestGitRepository,
} from './support/git-repositories.js';
import { localGitTargets } from './support/local-git-targets.js';

const logger = testLogger();
const now = Date.parse('2024-07-01T00:00:00Z');
const day = 86_400_000;

/**
 * Who is who on the fake GitHub: a User's profile company as written, and how they appear on the
 * repository's pull requests and issues (authors, reviewers, commenters: the crawler reads them all).
 */
const alice = { login: 'alice', databaseId: 501, company: '@Acme Inc.' };
const bob = { login: 'bob', databaseId: 502, company: 'acme' };
const erin = { login: 'erin', databaseId: 505, company: 'Globex Corporation' };
const frank = { login: 'frank', databaseId: 506, company: 'Freelance' };
const grace = { login: 'grace', databaseId: 507, company: 'Umbrella, Ltd.' };
// Named only past the first page of a pull request's comments (GitHub's first page is 20): read there.
const heidi = { login: 'heidi', databaseId: 508, company: 'Hooli' };

function widget(): FakeRepositorySeed {
  return {
    owner: 'acme',
    name: 'widget',
    createdAt: '2020-01-01T00:00:00Z',
    pullRequests: [
      {
        number: 1,
        author: alice,
        createdAt: '2024-06-01T10:00:00Z',
        comments: [{ author: 'dependabot[bot]', createdAt: '2024-06-01T11:00:00Z' }],
        reviews: [{ author: bob, state: 'APPROVED', submittedAt: '2024-06-01T12:00:00Z' }],
        mergedAt: '2024-06-02T10:00:00Z',
        mergedBy: bob,
      },
      { number: 2, author: frank, createdAt: '2024-06-03T10:00:00Z' },
      {
        number: 4,
        author: frank,
        createdAt: '2024-06-06T10:00:00Z',
        // Twenty-five bot comments, then heidi's: the first human answer is on the second page.
        comments: [
          ...Array.from({ length: 25 }, (_, index) => ({
            author: 'dependabot[bot]',
            createdAt: new Date(Date.parse('2024-06-06T11:00:00Z') + index * 60_000).toISOString(),
          })),
          { author: heidi, createdAt: '2024-06-07T10:00:00Z' },
        ],
      },
    ],
    issues: [
      {
        number: 3,
        author: erin,
        createdAt: '2024-06-04T10:00:00Z',
        comments: [{ author: grace, createdAt: '2024-06-05T10:00:00Z' }],
      },
    ],
  };
}

/** Commit authors as git knows them: noreply addresses tie four of them to their GitHub accounts. */
const authors: Record<string, Identity> = {
  // `<id>+<login>@users.noreply.github.com`: the user id, github:501.
  alice: { name: 'Alice', email: '501+alice@users.noreply.github.com' },
  // The old form without an id: login:bob (a reviewer, not an author, so no pull request ties the login
  // to its id); github_people is searched by login for him.
  bob: { name: 'Bob', email: 'bob@users.noreply.github.com' },
  carol: { name: 'Carol', email: 'carol@initech.com' },
  erin: { name: 'Erin', email: '505+erin@users.noreply.github.com' },
  frank: { name: 'Frank', email: '506+frank@users.noreply.github.com' },
  grace: { name: 'Grace', email: '507+grace@users.noreply.github.com' },
  dave: { name: 'Dave', email: 'dave@gmail.com' },
};
const commitsOf: Record<keyof typeof authors, number> = {
  alice: 3,
  bob: 3,
  carol: 5,
  erin: 2,
  frank: 2,
  grace: 2,
  dave: 10,
};

describe('GitHub companies as organisations (fake GitHub, real git and PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let github: FakeGithub;
  let client: GithubClient;
  let source: TestGitRepository;
  let cacheDir: string;
  let repositoryId: string;

  before(async () => {
    testDatabase = await createTestDatabase();
    cacheDir = await temporaryDirectory('github-people-cache');
    source = await createGitRepository();
    let index = 0;
    for (const [who, count] of Object.entries(commitsOf)) {
      for (let commit = 0; commit < count; commit++, index++) {
        await source.commit({
          author: authors[who]!,
          date: new Date(now - (30 + index) * day).toISOString().replace('.000Z', '+00:00'),
          message: `Change ${index}`,
          files: { [`file-${index}.txt`]: `${who}\n` },
        });
      }
    }
  });
  after(async () => {
    await testDatabase.drop();
    await source.remove();
    await rm(cacheDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await testDatabase.database.query('TRUNCATE repositories, github_people, github_http_cache CASCADE');
    github = await startFakeGithub({ seed: { repositories: [widget()] } });
    client = createGithubClient({
      apiUrl: github.url,
      tokens: ['ghp_people'],
      database: testDatabase.database,
      logger,
      retryBaseDelayMs: 1,
    });
    const { rows } = await testDatabase.database.query<{ id: string }>(
      `INSERT INTO repositories (host, owner, name) VALUES ('github.com', 'acme', 'widget') RETURNING id`,
    );
    repositoryId = rows[0]!.id;
  });
  afterEach(async () => {
    // `... on User { company }` is in GitHub's schema, and the fake serves it as GitHub does.
    assert.deepEqual(github.state.invalidQueries, []);
    assert.deepEqual([...github.state.unimplementedFields], []);
    await github.close();
  });

  /** The whole GitHub side again (every sync time from the start), in one transaction. */
  function crawlGithub() {
    return testDatabase.database.transaction((transaction) =>
      crawlGithubRepository({
        client,
        transaction,
        repositoryId,
        owner: 'acme',
        name: 'widget',
        since: { pullRequests: null, issues: null, releases: null },
        logger,
      }),
    );
  }

  async function people() {
    const { rows } = await testDatabase.database.query<{
      github_id: string;
      login: string;
      company: string | null;
      organisation: string | null;
      version: string;
    }>(
      `SELECT github_id::text, login, company, organisation, xmin::text AS version
         FROM github_people ORDER BY github_id`,
    );
    return rows;
  }

  test('stores each GitHub user a crawl meets with their company and its organisation, bots apart', async () => {
    await crawlGithub();
    assert.deepEqual(
      (await people()).map(({ version: _, ...person }) => person),
      [
        { github_id: '501', login: 'alice', company: '@Acme Inc.', organisation: 'acme' },
        { github_id: '502', login: 'bob', company: 'acme', organisation: 'acme' },
        { github_id: '505', login: 'erin', company: 'Globex Corporation', organisation: 'globex' },
        // "Freelance" names no employer: kept as written, no organisation.
        { github_id: '506', login: 'frank', company: 'Freelance', organisation: null },
        { github_id: '507', login: 'grace', company: 'Umbrella, Ltd.', organisation: 'umbrella' },
        // From the later page the crawl read for pull request 4's first response.
        { github_id: '508', login: 'heidi', company: 'Hooli', organisation: 'hooli' },
      ],
    );
  });

  test('a re-crawl rewrites only the people whose company changed', async () => {
    await crawlGithub();
    const before = new Map((await people()).map((person) => [person.github_id, person]));
    await crawlGithub();
    assert.deepEqual(
      new Map((await people()).map((person) => [person.github_id, person])),
      before,
      'an unchanged person is not written again (same row version)',
    );

    github.state.setUserCompany('alice', 'Initech, Inc.');
    await crawlGithub();
    const after = await people();
    const changed = after.filter((person) => person.version !== before.get(person.github_id)!.version);
    assert.deepEqual(
      changed.map(({ version: _, ...person }) => person),
      [{ github_id: '501', login: 'alice', company: 'Initech, Inc.', organisation: 'initech' }],
    );
  });

  test('given a pool for people, they are stored outside the crawl’s transaction and outlive its rollback', async () => {
    await assert.rejects(
      testDatabase.database.transaction(async (transaction) => {
        await crawlGithubRepository({
          client,
          transaction,
          people: testDatabase.database,
          repositoryId,
          owner: 'acme',
          name: 'widget',
          logger,
        });
        throw new Error('the message failed after the crawl');
      }),
      /the message failed/,
    );
    const { rows } = await testDatabase.database.query<{ pulls: number }>(
      'SELECT count(*)::int AS pulls FROM pull_requests',
    );
    assert.equal(rows[0]!.pulls, 0, 'the facts rolled back');
    assert.equal((await people()).length, 6, 'the people stayed');
  });

  test('the GitHub companies decide elephant_factor_365d, e-mail domains standing in where none is known', async () => {
    await crawlGithub();
    await testDatabase.database.transaction((transaction) =>
      crawlGitRepository({
        transaction,
        repositoryId,
        gitUrl: source.path,
        cacheDir,
        logger,
        ...localGitTargets,
      }),
    );
    const handler = createMetricsComputeHandler({ now: () => now });
    await testDatabase.database.transaction((transaction) =>
      handler({ envelope: createEnvelope('metrics.compute', { repositoryId }), transaction, logger }),
    );
    const { rows } = await testDatabase.database.query<{
      metrics: Record<string, { value: number | null; version: number }>;
    }>('SELECT metrics FROM metric_snapshots WHERE repository_id = $1', [repositoryId]);
    // Commits of the last 365 days by organisation:
    //   alice  3  "@Acme Inc."          → acme
    //   bob    3  "acme" (by login)     → acme           acme 6
    //   carol  5  no GitHub account     → initech.com    (her e-mail domain)
    //   erin   2  "Globex Corporation"  → globex
    //   grace  2  "Umbrella, Ltd."      → umbrella
    //   frank  2  "Freelance", noreply  → independent
    //   dave  10  gmail.com             → independent
    // Affiliated: 6 + 5 + 2 + 2 = 15, half 7.5; acme 6 < 7.5, + initech.com 5 = 11 ≥ 7.5: 2.
    // (By e-mail domains alone, only carol's initech.com is affiliated: 1.)
    assert.deepEqual(rows[0]!.metrics.elephant_factor_365d, { value: 2, version: 2 });
  });
});
