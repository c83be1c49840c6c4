// The dashboard benchmark: `npm run bench:dashboards` (after `npm run bench:read-api:generate`). Builds the
// client panel, starts the output gateway on the 10-million-fact dataset, the client panel and the
// permission proxy, logs in as an analyst in headless Chromium and opens each of the four dashboards in
// turn on subjects drawn from the dataset: a first visit with an empty browser cache, then the same
// dashboard again. Each visit is timed from navigation start to the first frame painted after the
// dashboard marked itself ready. The same run's baseline is fetching the API answers the dashboard asked
// for, from the same page, without rendering. Prints p50/p95 of each, the ratio, PASS/MISS against the
// target (first visit p95 under 1 s on localhost) and the gzipped JavaScript size.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { createDatabase, createLogger, createUser, migrateDatabase } from '@repopulse/core';
import { benchDatabaseUrl } from '../read-api/dataset-shape.js';
import { drawSubjects, type Subjects } from '../read-api/benchmark-subjects.js';
import {
  repositoryRoot,
  startServer,
  stopServer,
  waitUntilReady,
  type RunningChild,
} from '../support/bench-servers.js';
import { clearBrowserCache, fetchOnly, visit, waitUntilSettled, watchReadiness } from './dashboard-visits.js';
import { measureJavaScript } from './javascript-size.js';
import { liftRateLimits } from '../support/lift-rate-limits.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const logLevel = process.env.BENCH_LOG_LEVEL ?? 'warn';
const targetMs = 1_000;
const username = 'bench-dashboards';
const password = randomBytes(12).toString('base64url');
const logger = createLogger({ level: logLevel, module: 'bench' });

interface Dashboard {
  name: string;
  path(subjects: Subjects, round: number): string;
}

const dashboards: Dashboard[] = [
  {
    name: 'organisation portfolio',
    path: (subjects, round) => `/organizations/${subjects.organisations[round]!.owner}`,
  },
  {
    name: 'repository health',
    path: (subjects, round) => {
      const { owner, name } = subjects.repositories[round]!;
      return `/repositories/${owner}/${name}`;
    },
  },
  {
    name: 'trends',
    path: (_subjects, round) => ['/trends', '/trends?window=90d', '/trends?window=7d'][round % 3]!,
  },
  {
    name: 'compare (five)',
    path: (subjects, round) => {
      const five = (subjects.seriesComparisons[round] ?? subjects.comparisons[round])!;
      return `/compare?repos=${five.map((repository) => `${repository.owner}/${repository.name}`).join(',')}`;
    },
  },
];

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}

const format = (ms: number) => `${ms.toFixed(0).padStart(5)} ms`;

// A dataset generated before a migration was added gets it now, as the engine would apply it at start.
await migrateDatabase(benchDatabaseUrl, logger);
const database = createDatabase({
  url: benchDatabaseUrl,
  logger,
  maxConnections: 2,
  applicationName: 'bench',
});
const uiDirectory = await mkdtemp(join(tmpdir(), 'repopulse-dashboards-'));
const servers: RunningChild[] = [];
let restoreRateLimits = async () => {};
try {
  const subjects = await drawSubjects(database, rounds);
  await promisify(execFile)(
    process.execPath,
    [
      join(repositoryRoot, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'client-panel/ui/vite.config.ts',
      '--outDir',
      uiDirectory,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: repositoryRoot },
  );
  const javascript = await measureJavaScript(uiDirectory);
  await database.query('DELETE FROM users WHERE username = $1', [username]);
  await createUser(database, { username, password, roles: ['analyst'] });
  // Each visit makes a few reads; the seeded per-caller limit would answer 429 within the run.
  restoreRateLimits = await liftRateLimits(database);

  const gateway = await startServer('output-gateway/src/index.ts', {
    DATABASE_URL: benchDatabaseUrl,
    DATABASE_READ_URL: benchDatabaseUrl,
    LOG_LEVEL: logLevel,
  });
  servers.push(gateway);
  const panel = await startServer('client-panel/src/index.ts', {
    CLIENT_UI_DIR: uiDirectory,
    LOG_LEVEL: logLevel,
  });
  servers.push(panel);
  const proxy = await startServer('permission-proxy/src/index.ts', {
    DATABASE_URL: benchDatabaseUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_PASSWORD: randomBytes(16).toString('base64url'),
    OUTPUT_GATEWAY_URL: `http://127.0.0.1:${gateway.port}`,
    CLIENT_PANEL_URL: `http://127.0.0.1:${panel.port}`,
    LOG_LEVEL: logLevel,
  });
  servers.push(proxy);
  const base = `http://127.0.0.1:${proxy.port}`;
  await waitUntilReady(gateway, `http://127.0.0.1:${gateway.port}/ready`);
  await waitUntilReady(panel, `http://127.0.0.1:${panel.port}/`);
  await waitUntilReady(proxy, `${base}/ready`);

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    await watchReadiness(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    const session = await context.newCDPSession(page);
    await page.goto('/');
    // The login form is drawn by the page's script: once it is, submitting it is the script's business.
    await waitUntilSettled(page);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: /log in|sign in/i }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor({ timeout: 30_000 });

    console.log(
      `dashboards on ${benchDatabaseUrl} (10,000,000 facts), ${rounds} rounds, load average ${loadavg()[0]!.toFixed(1)}`,
    );
    const results = new Map(
      dashboards.map((dashboard) => [
        dashboard.name,
        { first: [] as number[], next: [] as number[], fetch: [] as number[] },
      ]),
    );
    // Warm-up: each dashboard once (the servers' and PostgreSQL's caches, the JIT), not counted.
    for (const dashboard of dashboards) await visit(page, dashboard.path(subjects, rounds - 1));
    for (let round = 0; round < rounds; round++) {
      for (const dashboard of dashboards) {
        const path = dashboard.path(subjects, round);
        const result = results.get(dashboard.name)!;
        await clearBrowserCache(session);
        const first = await visit(page, path);
        const next = await visit(page, path);
        result.first.push(first.readyMs);
        result.next.push(next.readyMs);
        result.fetch.push(await fetchOnly(page, first.apiRequests));
      }
    }
    if (errors.length > 0) throw new Error(`the dashboards logged errors:\n${errors.join('\n')}`);

    console.log(
      `\n${'dashboard'.padEnd(24)} ${'first visit p50 / p95'.padEnd(22)} ${'next visit p50 / p95'.padEnd(22)} ${'API only p50 / p95'.padEnd(22)} first/API p50  target`,
    );
    let allMet = true;
    for (const [name, result] of results) {
      const firstP95 = percentile(result.first, 0.95);
      const met = firstP95 < targetMs;
      allMet &&= met;
      console.log(
        `${name.padEnd(24)} ${format(percentile(result.first, 0.5))} / ${format(firstP95)}  ${format(percentile(result.next, 0.5))} / ${format(percentile(result.next, 0.95))}  ${format(percentile(result.fetch, 0.5))} / ${format(percentile(result.fetch, 0.95))}  ${(percentile(result.first, 0.5) / percentile(result.fetch, 0.5)).toFixed(1).padStart(10)}    ${met ? 'PASS' : 'MISS'} (< ${targetMs} ms)`,
      );
    }
    const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
    console.log(
      `\nJavaScript, gzipped: ${kB(javascript.initialGzipBytes)} before any dashboard, ${kB(javascript.allGzipBytes)} in all`,
    );
    for (const file of javascript.files)
      console.log(
        `  ${file.file.padEnd(44)} ${kB(file.bytes).padStart(9)} → ${kB(file.gzipBytes).padStart(8)}${file.initial ? '  (initial)' : ''}`,
      );
    console.log(allMet ? '\nevery dashboard meets the target' : '\nsome dashboard misses the target');
  } finally {
    await browser.close();
  }
} finally {
  for (const server of servers.reverse()) await stopServer(server);
  await restoreRateLimits();
  await database.query('DELETE FROM users WHERE username = $1', [username]).catch(() => {});
  await database.close();
  await rm(uiDirectory, { recursive: true, force: true });
}
