// The git crawl benchmark: `npm run bench:git`. Measures, in the same run and on the same machine, the time
// of (1) the baseline — `git log --numstat` over the whole history, its output read and thrown away — and
// (2) the git crawler's first crawl of the same repository into an empty database (a copy of the migrated
// test template): bare mirror clone, log read and parsed, rows written, activity rollup, commit. Then it
// prints the medians and their ratio. Target: ≤ 2.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCrawlTargetPolicy, createLogger } from '@repopulse/core';
import { createTestDatabase } from '@repopulse/core/testing';
import {
  createGitRemoteGuard,
  crawlGitRepository,
  type GitCrawlResult,
} from '../../integration-engine/src/git-crawler/crawl-git-repository.js';
import { median } from '../support/load-rounds.js';
import { benchmarkRepository } from './generate-git-history.js';

const commitCount = Number(process.env.BENCH_COMMITS ?? 100_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const batchSize =
  process.env.BENCH_BATCH_SIZE === undefined ? undefined : Number(process.env.BENCH_BATCH_SIZE);
const logger = createLogger({ level: process.env.BENCH_LOG_LEVEL ?? 'warn', module: 'bench' });

/** `git log --numstat` with its output consumed through a pipe, as the crawler consumes it. */
function gitLogNumstat(repository: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--git-dir', repository, 'log', '--numstat'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
    child.once('close', (code) =>
      code === 0
        ? resolve({ ms: performance.now() - started, bytes })
        : reject(new Error(`git log exited ${code}`)),
    );
  });
}

// The benchmark's repository is on this machine: named as an admin's source with GIT_ALLOW_LOCAL=1 would be.
const localTarget = {
  caller: 'admin-source',
  guard: createGitRemoteGuard({ policy: createCrawlTargetPolicy({ allowLocal: true }) }),
} as const;

async function crawlIntoFreshDatabase(repository: string): Promise<{ ms: number; result: GitCrawlResult }> {
  const testDatabase = await createTestDatabase();
  const cacheDir = await mkdtemp(join(tmpdir(), 'repopulse-bench-git-cache-'));
  try {
    const { rows } = await testDatabase.database.query<{ id: string }>(
      `INSERT INTO repositories (host, owner, name) VALUES ('local', 'bench', 'history') RETURNING id`,
    );
    const started = performance.now();
    const result = await testDatabase.database.transaction((transaction) =>
      crawlGitRepository({
        transaction,
        repositoryId: rows[0]!.id,
        gitUrl: repository,
        cacheDir,
        logger,
        batchSize,
        ...localTarget,
      }),
    );
    return { ms: performance.now() - started, result };
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
    await testDatabase.drop();
  }
}

const repository = await benchmarkRepository(commitCount);
console.log(`git crawl benchmark: ${commitCount} commits, ${rounds} interleaved rounds\n`);
await gitLogNumstat(repository); // warm-up: the page cache, for both
const baseline: number[] = [];
const crawls: Array<{ ms: number; result: GitCrawlResult }> = [];
for (let round = 0; round < rounds; round++) {
  const log = await gitLogNumstat(repository);
  baseline.push(log.ms);
  const crawl = await crawlIntoFreshDatabase(repository);
  crawls.push(crawl);
  console.log(
    `round ${round + 1}: git log --numstat ${(log.ms / 1000).toFixed(2)} s (${(log.bytes / 1e6).toFixed(0)} MB)` +
      `   crawl ${(crawl.ms / 1000).toFixed(2)} s (mirror ${(crawl.result.fetchedMs / 1000).toFixed(2)} s,` +
      ` read + write + rollup ${(crawl.result.parsedMs / 1000).toFixed(2)} s, ${crawl.result.commitsRead} commits)`,
  );
  if (crawl.result.commitsRead !== commitCount) {
    throw new Error(`the crawl read ${crawl.result.commitsRead} commits, the repository has ${commitCount}`);
  }
}
const baselineMedian = median(baseline);
const crawlMedian = median(crawls.map((crawl) => crawl.ms));
console.log(`\nbaseline (git log --numstat)      ${(baselineMedian / 1000).toFixed(2)} s`);
console.log(
  `git crawler (mirror + database)   ${(crawlMedian / 1000).toFixed(2)} s   ` +
    `${Math.round(commitCount / (crawlMedian / 1000))} commits/s`,
);
console.log(`\nratio crawler / git log: ${(crawlMedian / baselineMedian).toFixed(2)} (target ≤ 2.00)`);
