import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { BrokerConnection } from '@repopulse/core';
import { createEnvelope } from '@repopulse/core';
import {
  connectTestBroker,
  createTestDatabase,
  removeTestTopology,
  testLogger,
  testQueuePrefix,
  waitFor,
  type TestDatabase,
} from '@repopulse/core/testing';
import { startFakeGithub, type FakeGithub } from '../../integration-engine/test/support/fake-github/index.js';
import { generatedRepository } from '../../integration-engine/test/support/generated-history.js';
import { temporaryDirectory } from '../../integration-engine/test/support/git-repositories.js';
import { startModuleProcess, type ModuleProcess } from './engine-process.js';

const repositoryCount = 4;
const commitsPerRepository = 2_000;
const pullRequestsPerRepository = 40;
const retryDelaysMs = [200];

describe('the engine killed during an organisation crawl (real engine processes, RabbitMQ, PostgreSQL, git)', () => {
  const prefix = testQueuePrefix();
  const logger = testLogger();
  let testDatabase: TestDatabase;
  let broker: BrokerConnection;
  let github: FakeGithub;
  let gitCacheDir: string;
  const engines: ModuleProcess[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];

  before(async () => {
    testDatabase = await createTestDatabase();
    broker = await connectTestBroker({ logger, prefix, retryDelaysMs, confirmTimeoutMs: 5_000 });
    const repositories = [];
    for (let index = 0; index < repositoryCount; index++) {
      const git = await generatedRepository({
        commits: commitsPerRepository,
        authors: [`dev${index}`, 'ada'],
      });
      cleanups.push(() => rm(git.path, { recursive: true, force: true }));
      repositories.push({
        owner: 'big',
        name: `service-${index}`,
        stars: 10 * index,
        cloneUrl: git.url,
        pullRequests: Array.from({ length: pullRequestsPerRepository }, (_, number) => ({
          number: number + 1,
          author: number % 5 === 0 ? 'renovate[bot]' : `dev${number % 3}`,
          createdAt: new Date(Date.UTC(2025, 0, 1 + number)).toISOString(),
          mergedAt: number % 2 === 0 ? new Date(Date.UTC(2025, 0, 2 + number)).toISOString() : undefined,
        })),
      });
    }
    github = await startFakeGithub({
      seed: { owners: [{ login: 'big', type: 'Organization' }], repositories },
    });
    gitCacheDir = await temporaryDirectory('crash-cache');
  });

  after(async () => {
    for (const engine of engines) engine.child.kill('SIGKILL');
    await broker.close();
    await github.close();
    await removeTestTopology(prefix, retryDelaysMs);
    await testDatabase.drop();
    await rm(gitCacheDir, { recursive: true, force: true });
    for (const cleanup of cleanups) await cleanup();
  });

  function startEngine(): ModuleProcess {
    const engine = startModuleProcess('integration-engine', {
      DATABASE_URL: testDatabase.url,
      QUEUE_PREFIX: prefix,
      QUEUE_PREFETCH: '1',
      QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
      GITHUB_API_URL: github.url,
      GITHUB_TOKENS: 'ghp_crashtesttoken',
      GIT_CACHE_DIR: gitCacheDir,
      // The fake GitHub's clone URLs are repositories on this machine.
      GIT_ALLOW_LOCAL: '1',
    });
    engines.push(engine);
    return engine;
  }

  async function runState() {
    const { rows } = await testDatabase.database.query<{
      status: string;
      total: number | null;
      done: number;
      failed: number;
    }>(`SELECT status, total, done, failed FROM crawl_runs WHERE id = 'crash-run'`);
    return rows[0];
  }

  test('killed mid-crawl and started again, the crawl finishes with every fact once', async () => {
    // Slow GitHub down so the kill lands while repositories are still being crawled.
    github.state.failNext(1_000, { kind: 'delay', ms: 100 }, { endpoint: 'graphql' });
    const first = startEngine();
    await broker.publish(
      'crawl.org',
      createEnvelope('crawl.org', { host: 'github.com', login: 'big', crawlRunId: 'crash-run' }),
    );
    await waitFor(async () => ((await runState())?.done ?? 0) >= 1, {
      timeoutMs: 60_000,
      what: 'a first repository crawled',
    });
    first.child.kill('SIGKILL');
    assert.equal(await first.exited, 'SIGKILL');
    const atKill = await runState();
    assert.equal(atKill?.status, 'running');
    assert.equal(atKill?.total, repositoryCount);
    assert.ok(atKill!.done < repositoryCount, `killed with ${atKill!.done} of ${repositoryCount} done`);

    startEngine();
    const finished = await waitFor(
      async () => {
        const state = await runState();
        return state?.status === 'done' ? state : undefined;
      },
      { timeoutMs: 90_000, what: 'the crawl to finish after the restart' },
    );
    assert.deepEqual(finished, { status: 'done', total: repositoryCount, done: repositoryCount, failed: 0 });

    const { rows } = await testDatabase.database.query<{
      name: string;
      commits: number;
      distinct_shas: number;
      pull_requests: number;
      rollup_commits: number;
      rollup_opened: number;
    }>(
      `SELECT r.name,
              (SELECT count(*)::int FROM commits c WHERE c.repository_id = r.id) AS commits,
              (SELECT count(DISTINCT sha)::int FROM commits c WHERE c.repository_id = r.id) AS distinct_shas,
              (SELECT count(*)::int FROM pull_requests p WHERE p.repository_id = r.id) AS pull_requests,
              (SELECT coalesce(sum(commits), 0)::int FROM activity_daily a WHERE a.repository_id = r.id) AS rollup_commits,
              (SELECT coalesce(sum(pull_requests_opened), 0)::int FROM activity_daily a WHERE a.repository_id = r.id) AS rollup_opened
       FROM repositories r ORDER BY r.name`,
    );
    assert.equal(rows.length, repositoryCount);
    for (const row of rows) {
      assert.deepEqual(row, {
        name: row.name,
        commits: commitsPerRepository,
        distinct_shas: commitsPerRepository,
        pull_requests: pullRequestsPerRepository,
        rollup_commits: commitsPerRepository,
        rollup_opened: pullRequestsPerRepository,
      });
    }
    const items = await testDatabase.database.query(
      `SELECT status FROM crawl_run_items WHERE run_id = 'crash-run' AND status <> 'done'`,
    );
    assert.equal(items.rowCount, 0);
    assert.deepEqual(github.state.invalidQueries, []);
  });
});
