import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { createEnvelope, type BrokerConnection } from '@repopulse/core';
import {
  connectTestBroker,
  createTestDatabase,
  removeTestTopology,
  testLogger,
  testQueuePrefix,
  waitFor,
  type TestDatabase,
} from '@repopulse/core/testing';
import { Registry } from 'prom-client';
import { createEngine, type Engine } from '../src/engine.js';
import { startFakeGithub, type FakeGithub } from './support/fake-github/index.js';
import { generatedRepository } from './support/generated-history.js';
import { createGitRepository, runGit, temporaryDirectory } from './support/git-repositories.js';
import { widgetRepository } from './support/github-seed.js';

const retryDelaysMs = [100, 400];
const token = 'ghp_crawltesttoken0001';

interface Run {
  status: string;
  total: number | null;
  done: number;
  failed: number;
  api_cost: number;
  error: string | null;
  errors: Array<{ repository: string; error: string }>;
  started_at: Date | null;
  finished_at: Date | null;
}

describe('crawl.org and crawl.repo through the engine (real RabbitMQ, PostgreSQL, git; fake GitHub)', () => {
  const prefix = testQueuePrefix();
  const logger = testLogger();
  let testDatabase: TestDatabase;
  let broker: BrokerConnection;
  let github: FakeGithub;
  let engine: Engine;
  let gitCacheDir: string;
  const cleanups: Array<() => Promise<unknown>> = [];

  before(async () => {
    testDatabase = await createTestDatabase();
    broker = await connectTestBroker({ logger, prefix, retryDelaysMs, confirmTimeoutMs: 5_000 });
    const widgetGit = await generatedRepository({ commits: 300 });
    const gadgetGit = await generatedRepository({ commits: 120, authors: ['zoe'] });
    cleanups.push(() => rm(widgetGit.path, { recursive: true, force: true }));
    cleanups.push(() => rm(gadgetGit.path, { recursive: true, force: true }));
    github = await startFakeGithub({
      seed: {
        owners: [{ login: 'acme', type: 'Organization' }],
        repositories: [
          { ...widgetRepository('acme', 'widget'), cloneUrl: widgetGit.url },
          { owner: 'acme', name: 'gadget', stars: 3, languages: { Go: 500 }, cloneUrl: gadgetGit.url },
        ],
      },
    });
    gitCacheDir = await temporaryDirectory('crawl-cache');
    engine = createEngine({
      database: testDatabase.database,
      broker,
      logger,
      registry: new Registry(),
      prefetch: 4,
      maxAttempts: 3,
      retryDelaysMs,
      github: { apiUrl: github.url, tokens: [token] },
      gitCacheDir,
      // The fake GitHub's clone URLs and the git sources below are repositories on this machine.
      gitTargets: { allowLocal: true },
    });
    await engine.start();
  });

  after(async () => {
    await engine.stop();
    await broker.close();
    await github.close();
    await removeTestTopology(prefix, retryDelaysMs);
    await testDatabase.drop();
    await rm(gitCacheDir, { recursive: true, force: true });
    for (const cleanup of cleanups) await cleanup();
  });

  async function run(id: string): Promise<Run | undefined> {
    const { rows } = await testDatabase.database.query<Run>('SELECT * FROM crawl_runs WHERE id = $1', [id]);
    return rows[0];
  }

  async function finishedRun(id: string, timeoutMs = 30_000): Promise<Run> {
    return waitFor(
      async () => {
        const current = await run(id);
        return current && (current.status === 'done' || current.status === 'failed') ? current : undefined;
      },
      { timeoutMs, what: `crawl run ${id} to finish` },
    );
  }

  async function count(sql: string, values: unknown[] = []): Promise<number> {
    const { rows } = await testDatabase.database.query<{ n: number }>(sql, values);
    return rows[0]!.n;
  }

  /** A local git target is crawled only as an admin's source: the row the engine checks the message by. */
  async function addGitSource(target: string): Promise<string> {
    const { rows } = await testDatabase.database.query<{ id: string }>(
      `INSERT INTO sources (kind, target) VALUES ('git', $1) RETURNING id::text AS id`,
      [target],
    );
    return rows[0]!.id;
  }

  const repositoryCommits = (owner: string, name: string) =>
    count(
      `SELECT count(*)::int AS n FROM commits c JOIN repositories r ON r.id = c.repository_id
       WHERE r.owner = $1 AND r.name = $2`,
      [owner, name],
    );

  test('an organisation crawl lists its repositories and crawls each from GitHub and git, progress counted', async () => {
    await broker.publish(
      'crawl.org',
      createEnvelope('crawl.org', { host: 'github.com', login: 'acme', crawlRunId: 'org-run' }),
    );
    const finished = await finishedRun('org-run');
    assert.equal(finished.status, 'done');
    assert.equal(finished.total, 2);
    assert.equal(finished.done, 2);
    assert.equal(finished.failed, 0);
    assert.ok(finished.api_cost > 0, 'GitHub cost recorded');
    assert.ok(finished.started_at && finished.finished_at && finished.finished_at >= finished.started_at);

    assert.equal(await repositoryCommits('acme', 'widget'), 300);
    assert.equal(await repositoryCommits('acme', 'gadget'), 120);
    const seeded = github.state.repository('acme', 'widget')!;
    assert.equal(
      await count(
        `SELECT count(*)::int AS n FROM pull_requests p JOIN repositories r ON r.id = p.repository_id WHERE r.name = 'widget'`,
      ),
      seeded.pullRequests.length,
    );
    assert.equal(
      await count(
        `SELECT count(*)::int AS n FROM issues i JOIN repositories r ON r.id = i.repository_id WHERE r.name = 'widget'`,
      ),
      seeded.issues.length,
    );
    const { rows: metadata } = await testDatabase.database.query(
      `SELECT name, stars, primary_language, license, git_head IS NOT NULL AS has_head FROM repositories ORDER BY name`,
    );
    assert.deepEqual(metadata, [
      { name: 'gadget', stars: 3, primary_language: 'Go', license: null, has_head: true },
      { name: 'widget', stars: 42, primary_language: 'TypeScript', license: 'MIT', has_head: true },
    ]);
    // The activity rollup agrees with the commits stored.
    assert.equal(await count('SELECT coalesce(sum(commits), 0)::int AS n FROM activity_daily'), 420);

    // Chaining: each repository crawled gets its metrics computed (metrics.compute, coalesced).
    const snapshots = await waitFor(async () => {
      const { rows } = await testDatabase.database.query<{ name: string; commits: number }>(
        `SELECT r.name, (s.metrics -> 'commits_365d' ->> 'value')::float AS commits FROM metric_snapshots s
         JOIN repositories r ON r.id = s.repository_id WHERE r.owner = 'acme' ORDER BY r.name`,
      );
      return rows.length === 2 ? rows : undefined;
    });
    assert.deepEqual(
      snapshots.map((snapshot) => snapshot.name),
      ['gadget', 'widget'],
    );
    assert.deepEqual(github.state.invalidQueries, []);
  });

  test('a repository GitHub does not know ends its crawl as failed with the reason, not retried', async () => {
    await broker.publish(
      'crawl.repo',
      createEnvelope('crawl.repo', {
        host: 'github.com',
        owner: 'acme',
        name: 'missing',
        crawlRunId: 'missing-run',
      }),
    );
    const finished = await finishedRun('missing-run');
    assert.equal(finished.status, 'failed');
    assert.equal(finished.failed, 1);
    assert.match(finished.error ?? '', /Not Found/i);
    assert.equal(finished.errors[0]?.repository, 'github.com/acme/missing');
    const requestsFor = () =>
      github.state.requests.filter((request) => request.path.includes('/acme/missing')).length;
    const seen = requestsFor();
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // longer than every retry tier
    assert.equal(requestsFor(), seen, 'no retry of a permanent failure');
    const { rows } = await testDatabase.database.query(
      `SELECT crawl_error FROM repositories WHERE name = 'missing'`,
    );
    assert.match(String(rows[0]?.crawl_error), /Not Found/i);
  });

  test('with the token pool spent, the crawl waits for the reset and then finishes, failing nothing', async () => {
    const resetAt = new Date(Date.now() + 2_000);
    github.state.setQuota(token, 'core', { remaining: 0, resetAt });
    github.state.setQuota(token, 'graphql', { remaining: 0, resetAt });
    const before = github.state.requests.length;
    await broker.publish(
      'crawl.repo',
      createEnvelope('crawl.repo', {
        host: 'github.com',
        owner: 'acme',
        name: 'gadget',
        crawlRunId: 'deferred-run',
      }),
    );
    await waitFor(async () => (await run('deferred-run'))?.status === 'running', { what: 'run started' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const waiting = await run('deferred-run');
    assert.equal(waiting?.status, 'running', 'still waiting, not failed');
    // While spent, at most the requests that found out: the deferrals do not hammer GitHub.
    assert.ok(
      github.state.requests.length - before <= 3,
      `${github.state.requests.length - before} requests while spent`,
    );
    const finished = await finishedRun('deferred-run');
    assert.equal(finished.status, 'done');
    assert.ok(Date.now() >= resetAt.getTime(), 'finished after the reset');
    assert.equal(await repositoryCommits('acme', 'gadget'), 120, 'no duplicated commits on a re-crawl');
  });

  test('a git URL crawl reads the history; a re-crawl reads only new commits; a redelivery counts once', async () => {
    const source = await createGitRepository();
    cleanups.push(() => source.remove());
    const ada = { name: 'Ada', email: 'ada@example.org' };
    for (let day = 1; day <= 3; day++)
      await source.commit({
        author: ada,
        date: `2026-01-0${day}T10:00:00+02:00`,
        message: `c${day}`,
        files: { a: `${day}` },
      });
    const sourceId = await addGitSource(source.path);
    const payload = { host: 'local', owner: 'tmp', name: 'project', gitUrl: source.path, sourceId };
    const first = createEnvelope('crawl.repo', { ...payload, crawlRunId: 'git-run-1' });
    await broker.publish('crawl.repo', first);
    assert.equal((await finishedRun('git-run-1')).status, 'done');
    assert.equal(await repositoryCommits('tmp', 'project'), 3);

    await source.commit({ author: ada, date: '2026-01-04T10:00:00+02:00', message: 'c4', files: { a: '4' } });
    await broker.publish('crawl.repo', createEnvelope('crawl.repo', { ...payload, crawlRunId: 'git-run-2' }));
    assert.equal((await finishedRun('git-run-2')).status, 'done');
    assert.equal(await repositoryCommits('tmp', 'project'), 4);
    const expected = Number((await runGit(['-C', source.path, 'rev-list', '--count', 'HEAD'])).trim());
    assert.equal(await repositoryCommits('tmp', 'project'), expected);

    // The same message again: the inbox drops it and the run still counts one repository.
    await broker.publish('crawl.repo', first);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = await run('git-run-1');
    assert.equal(again?.done, 1);
    assert.equal(again?.total, 1);
  });

  test("a git URL that names no repository fails its run with git's reason", async () => {
    await broker.publish(
      'crawl.repo',
      createEnvelope('crawl.repo', {
        host: 'local',
        owner: 'nowhere',
        name: 'nothing',
        gitUrl: '/nonexistent/nowhere/nothing.git',
        sourceId: await addGitSource('/nonexistent/nowhere/nothing.git'),
        crawlRunId: 'bad-git-run',
      }),
    );
    const finished = await finishedRun('bad-git-run');
    assert.equal(finished.status, 'failed');
    assert.match(finished.error ?? '', /GitRepositoryUnavailableError/);
  });
});
