import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import {
  createTestDatabase,
  removeTestTopology,
  testQueuePrefix,
  proxiedFetch,
  waitFor,
  type TestCaller,
  type TestDatabase,
} from '@repopulse/core/testing';
import {
  createGitRepository,
  temporaryDirectory,
  type TestGitRepository,
} from '../../integration-engine/test/support/git-repositories.js';
import { startModuleProcess, type ModuleProcess } from './engine-process.js';

const retryDelaysMs = [500];
const admin: TestCaller = { principal: 'user:1', name: 'admin', roles: ['admin'] };
const ada = { name: 'Ada Lovelace', email: 'ada@example.org' };

describe('a source added through the admin API is crawled by cron and the engine (real processes)', () => {
  const prefix = testQueuePrefix();
  let testDatabase: TestDatabase;
  let repository: TestGitRepository;
  let gitCacheDir: string;
  const processes: ModuleProcess[] = [];
  let adminUrl: string;

  before(async () => {
    testDatabase = await createTestDatabase();
    repository = await createGitRepository();
    for (let day = 1; day <= 3; day++) {
      await repository.commit({ author: ada, date: `2026-11-0${day}T10:00:00+01:00`, message: `day ${day}` });
    }
    gitCacheDir = await temporaryDirectory('scheduled-cache');
    const common = {
      DATABASE_URL: testDatabase.url,
      QUEUE_PREFIX: prefix,
      QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
    };
    processes.push(
      startModuleProcess('integration-engine', {
        ...common,
        GIT_CACHE_DIR: gitCacheDir,
        // The source is a local path: allowed for an admin's source with GIT_ALLOW_LOCAL=1.
        GIT_ALLOW_LOCAL: '1',
        METRICS_COMPUTE_DELAY_MS: '0',
      }),
    );
    processes.push(startModuleProcess('cron', { ...common, CRON_RELOAD_INTERVAL_MS: '300' }));
    const panel = startModuleProcess('admin-panel', {
      DATABASE_URL: testDatabase.url,
      LOG_LEVEL: 'info',
      GIT_ALLOW_LOCAL: '1',
    });
    processes.push(panel);
    const port = await waitFor(() => /"port":(\d+)/.exec(panel.output())?.[1], {
      timeoutMs: 30_000,
      what: 'the admin panel listening',
    });
    adminUrl = `http://127.0.0.1:${port}`;
  });

  after(async () => {
    for (const process of processes) process.child.kill('SIGKILL');
    await Promise.all(processes.map((process) => process.exited));
    await removeTestTopology(prefix, retryDelaysMs);
    await testDatabase.drop();
    await repository.remove();
    await rm(gitCacheDir, { recursive: true, force: true });
  });

  async function adminApi(method: string, path: string, body?: unknown) {
    const response = await proxiedFetch(`${adminUrl}${path}`, {
      method,
      caller: admin,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  async function finishedRuns(sourceId: string) {
    const { rows } = await testDatabase.database.query<{
      trigger: string;
      status: string;
      done: number;
      total: number;
    }>(
      `SELECT trigger, status, done, total FROM crawl_runs WHERE source_id = $1 AND status IN ('done', 'failed') ORDER BY created_at`,
      [sourceId],
    );
    return rows;
  }

  async function commitCount(): Promise<number> {
    const { rows } = await testDatabase.database.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM commits JOIN repositories r ON r.id = commits.repository_id WHERE r.git_url = $1`,
      [repository.path],
    );
    return rows[0]!.count;
  }

  test('crawled once at creation, then on the schedule an admin gives it', async () => {
    const created = await adminApi('POST', '/api/sources', { kind: 'git', target: repository.path });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const sourceId = String(created.json.id);

    const first = await waitFor(async () => (await finishedRuns(sourceId))[0], {
      timeoutMs: 60_000,
      what: 'the first crawl',
    });
    assert.deepEqual(first, { trigger: 'schedule', status: 'done', done: 1, total: 1 });
    assert.equal(await commitCount(), 3);

    await repository.commit({ author: ada, date: '2026-11-04T10:00:00+01:00', message: 'day 4' });
    const scheduled = await adminApi('PATCH', `/api/sources/${sourceId}`, { schedule: '*/2 * * * * *' });
    assert.equal(scheduled.status, 200);
    await waitFor(async () => (await finishedRuns(sourceId)).length >= 2, {
      timeoutMs: 60_000,
      what: 'a scheduled crawl',
    });
    await waitFor(async () => (await commitCount()) === 4, { timeoutMs: 30_000, what: 'the new commit' });
    assert.ok((await finishedRuns(sourceId)).every((run) => run.status === 'done'));
    const { rows: backwards } = await testDatabase.database.query(
      `SELECT id FROM crawl_runs WHERE source_id = $1 AND (finished_at < started_at OR started_at < created_at)`,
      [sourceId],
    );
    assert.deepEqual(backwards, [], 'a run finishes after it starts, and starts after it was created');
  });
});
