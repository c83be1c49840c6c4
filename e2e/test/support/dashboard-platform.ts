import { rm } from 'node:fs/promises';
import { createUser } from '@repopulse/core';
import {
  createTestDatabase,
  removeTestTopology,
  testAmqpUrl,
  testQueuePrefix,
  waitFor,
  type TestDatabase,
} from '@repopulse/core/testing';
import {
  startFakeGithub,
  type FakeGithub,
} from '../../../integration-engine/test/support/fake-github/index.js';
import {
  temporaryDirectory,
  type TestGitRepository,
} from '../../../integration-engine/test/support/git-repositories.js';
import type { ModuleProcess } from '../engine-process.js';
import { createDashboardRepositories, starAndForkBatch } from './dashboard-fixtures.js';
import { startListeningModule, stopProcesses } from './platform-processes.js';
import { buildUi } from './vite-build.js';

const retryDelaysMs = [500];
export const adminPassword = 'dashboards-test-admin-password';
export const analyst = { username: 'ana', password: 'analyst-password-1' };

/** The platform as it runs for real, each module its own process, behind the permission proxy. */
export interface DashboardPlatform {
  proxyUrl: string;
  /** GET through the proxy with a bearer token: status, content type and body text. */
  get(path: string, token: string): Promise<{ status: number; type: string; text: string }>;
  /** GET JSON through the proxy; fails unless 200. */
  getJson<T>(path: string, token: string): Promise<T>;
  tokenFor(username: string, password: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Builds the client UI, starts input gateway, integration engine (crawling a fake GitHub), output gateway,
 * client panel and permission proxy as processes, adds an analyst, and feeds the data of
 * dashboard-fixtures.ts through the front door: crawl requests and a generic event batch POSTed to the
 * input gateway at the proxy's /ingest, then through RabbitMQ and the engine into PostgreSQL. Resolves once
 * the output gateway answers with every repository computed.
 */
export async function startDashboardPlatform(): Promise<DashboardPlatform> {
  const prefix = testQueuePrefix();
  const processes: ModuleProcess[] = [];
  const directories: string[] = [];
  let testDatabase: TestDatabase | undefined;
  let github: FakeGithub | undefined;
  let gitRepositories: TestGitRepository[] = [];
  const stop = async () => {
    await stopProcesses(processes);
    await github?.close();
    await removeTestTopology(prefix, retryDelaysMs);
    await testDatabase?.drop();
    for (const repository of gitRepositories) await repository.remove();
    for (const directory of directories) await rm(directory, { recursive: true, force: true });
  };
  try {
    const uiDirectory = await temporaryDirectory('client-ui');
    directories.push(uiDirectory);
    const built = buildUi('client-panel/ui/vite.config.ts', uiDirectory);
    testDatabase = await createTestDatabase();
    const seeded = await createDashboardRepositories();
    gitRepositories = seeded.gitRepositories;
    github = await startFakeGithub({
      seed: {
        owners: [
          { login: 'acme', type: 'Organization' },
          { login: 'globex', type: 'Organization' },
        ],
        repositories: seeded.repositories,
      },
    });
    const gitCacheDir = await temporaryDirectory('client-ui-cache');
    directories.push(gitCacheDir);
    const queues = {
      DATABASE_URL: testDatabase.url,
      AMQP_URL: testAmqpUrl,
      QUEUE_PREFIX: prefix,
      QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
    };
    const [engine, input, output] = await Promise.all([
      startListeningModule('integration-engine', {
        ...queues,
        GIT_CACHE_DIR: gitCacheDir,
        // The fake GitHub's clone URLs are repositories on this machine.
        GIT_ALLOW_LOCAL: '1',
        GITHUB_API_URL: github.url,
        GITHUB_TOKENS: 'ghp_dashboardtesttoken01',
        METRICS_COMPUTE_DELAY_MS: '0',
      }),
      startListeningModule('input-gateway', queues),
      startListeningModule('output-gateway', { DATABASE_URL: testDatabase.url }),
    ]);
    processes.push(engine.process, input.process, output.process);
    await built;
    const panel = await startListeningModule('client-panel', { CLIENT_UI_DIR: uiDirectory });
    processes.push(panel.process);
    const proxy = await startListeningModule('permission-proxy', {
      DATABASE_URL: testDatabase.url,
      INPUT_GATEWAY_URL: input.url,
      OUTPUT_GATEWAY_URL: output.url,
      CLIENT_PANEL_URL: panel.url,
      JWT_SECRET: 'dashboards-test-jwt-secret-of-at-least-32-characters',
      ADMIN_PASSWORD: adminPassword,
    });
    processes.push(proxy.process);
    await createUser(testDatabase.database, { ...analyst, roles: ['analyst'] });

    const platform = platformClient(proxy.url, stop);
    await feedData(platform);
    return platform;
  } catch (error) {
    await stop();
    throw error;
  }
}

function platformClient(proxyUrl: string, stop: () => Promise<void>): DashboardPlatform {
  const get = async (path: string, token: string) => {
    const response = await fetch(`${proxyUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  };
  return {
    proxyUrl,
    get,
    async getJson<T>(path: string, token: string) {
      const answer = await get(path, token);
      if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${answer.text}`);
      return JSON.parse(answer.text) as T;
    },
    async tokenFor(username, password) {
      const response = await fetch(`${proxyUrl}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (response.status !== 200) throw new Error(`login of ${username}: ${response.status}`);
      return ((await response.json()) as { access_token: string }).access_token;
    },
    stop,
  };
}

async function post(platform: DashboardPlatform, token: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${platform.proxyUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 202) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
}

interface Portfolio {
  repositories: { total: number };
  topRepositories: Array<{ name: string; healthScore: number | null }>;
}

/** Crawls both organisations and sends the star/fork batch, then waits for the answers to settle. */
async function feedData(platform: DashboardPlatform): Promise<void> {
  const admin = await platform.tokenFor('admin', adminPassword);
  const analystToken = await platform.tokenFor(analyst.username, analyst.password);
  for (const target of ['acme', 'globex']) {
    await post(platform, admin, '/ingest/v1/crawl-requests', { kind: 'organization', target });
  }
  const computed = async (owner: string, total: number) => {
    const answer = await platform.get(`/api/v1/organizations/${owner}`, analystToken);
    if (answer.status !== 200) return false;
    const portfolio = JSON.parse(answer.text) as Portfolio;
    return (
      portfolio.repositories.total === total &&
      portfolio.topRepositories.every((repository) => repository.healthScore !== null)
    );
  };
  await waitFor(async () => (await computed('acme', 3)) && (await computed('globex', 1)), {
    timeoutMs: 120_000,
    intervalMs: 500,
    what: 'both organisations crawled and computed',
  });
  await post(platform, admin, '/ingest/v1/events', starAndForkBatch());
  await waitFor(
    async () => {
      const activity = await platform.getJson<{ series: Array<{ stars: number; forks: number }> }>(
        '/api/v1/repositories/acme/rockets/activity',
        analystToken,
      );
      const stars = activity.series.reduce((sum, bucket) => sum + bucket.stars, 0);
      const forks = activity.series.reduce((sum, bucket) => sum + bucket.forks, 0);
      return stars === 6 && forks === 2;
    },
    { timeoutMs: 60_000, intervalMs: 500, what: 'the star and fork events in the activity series' },
  );
  await settled(platform, analystToken);
}

/**
 * The engine recomputes metrics after the events (coalesced): wait until the answers the dashboards read
 * no longer change between two looks a second apart, so the test and the page see the same numbers.
 */
async function settled(platform: DashboardPlatform, token: string): Promise<void> {
  const paths = [
    '/api/v1/organizations/acme',
    '/api/v1/repositories/acme/rockets',
    '/api/v1/repositories/acme/rockets/metrics',
    '/api/v1/trends',
  ];
  let previous = '';
  await waitFor(
    async () => {
      const answers = await Promise.all(paths.map((path) => platform.get(path, token)));
      const current = answers.map((answer) => answer.text).join('\n');
      const same = current === previous;
      previous = current;
      if (!same) await new Promise((resolve) => setTimeout(resolve, 1000));
      return same;
    },
    { timeoutMs: 60_000, intervalMs: 1000, what: 'the read API to settle' },
  );
}
