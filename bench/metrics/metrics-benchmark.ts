// The metrics benchmark: `npm run bench:metrics`. Measures, in the same run and on the same machine, the
// engine's `metrics.compute` handler (the whole of it: facts loaded, every metric of docs/METRICS.md computed
// now and for each day of the series, points and snapshot stored, committed) against a hand-written SQL
// aggregation of twelve of the same metrics over the same facts, for (a) one large repository, first and
// incremental computation, and (b) many small repositories in one pass. Prints the times and their ratios.
import { performance } from 'node:perf_hooks';
import { createDatabase, createLogger, type Database } from '@repopulse/core';
import { createTestDatabase } from '@repopulse/core/testing';
import { count, printManyRepositoriesFigures, printOneRepositoryFigures, seconds } from './figures-report.js';
import { generateLargeRepository, generateManyRepositories } from './generate-repositories.js';
import { runManyRepositoriesPasses } from './many-repositories-passes.js';
import { measureMetricAnatomy } from './metric-anatomy.js';
import { runOneRepositoryRounds } from './one-repository-rounds.js';
import { startRssSampler, type RssSampler } from './rss-sampler.js';
import { createTimedMetricsCompute, type ComputeMetrics } from './timed-metrics-compute.js';

const commitCount = Number(process.env.BENCH_COMMITS ?? 100_000);
const pullRequestCount = Number(process.env.BENCH_PULL_REQUESTS ?? 10_000);
const issueCount = Number(process.env.BENCH_ISSUES ?? 10_000);
const repositoryCount = Number(process.env.BENCH_REPOSITORIES ?? 10_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);
// Fixed, so every run generates the same facts and computes the same numbers.
const now = Date.parse('2026-06-01T12:00:00Z');

interface BenchmarkContext {
  database: Database;
  computeMetrics: ComputeMetrics;
  sampler: RssSampler;
}

async function timedGeneration<T>(what: string, generate: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await generate();
  console.log(`generated ${what} in ${seconds(performance.now() - started)}`);
  return result;
}

async function benchmarkOneRepository(context: BenchmarkContext): Promise<void> {
  const repositoryId = await timedGeneration(
    `one repository of ${count(commitCount)} commits, ${count(pullRequestCount)} pull requests and ${count(issueCount)} issues`,
    () =>
      generateLargeRepository(context.database, {
        commits: commitCount,
        pullRequests: pullRequestCount,
        issues: issueCount,
        now: new Date(now),
      }),
  );
  console.log(`\n(a) one repository, ${rounds} rounds (baseline and engine in turn)\n`);
  const results = await runOneRepositoryRounds({ ...context, repositoryId, now, rounds });
  const anatomy = await measureMetricAnatomy(context.database, repositoryId, now);
  printOneRepositoryFigures(results, anatomy);
}

async function benchmarkManyRepositories(context: BenchmarkContext): Promise<void> {
  const repositoryIds = await timedGeneration(`${count(repositoryCount)} repositories`, () =>
    generateManyRepositories(context.database, { repositories: repositoryCount, now: new Date(now) }),
  );
  const facts = await context.database.query<{ commits: number; pull_requests: number; issues: number }>(
    `SELECT (SELECT count(*) FROM commits WHERE commits.repository_id = ANY($1::bigint[]))::integer AS commits,
            (SELECT count(*) FROM pull_requests WHERE pull_requests.repository_id = ANY($1::bigint[]))::integer
              AS pull_requests,
            (SELECT count(*) FROM issues WHERE issues.repository_id = ANY($1::bigint[]))::integer AS issues`,
    [repositoryIds],
  );
  const { commits, pull_requests: pullRequests, issues } = facts.rows[0]!;
  console.log(
    `\n(b) ${count(repositoryIds.length)} repositories (${count(commits)} commits, ${count(pullRequests)} pull requests, ` +
      `${count(issues)} issues), one pass each, ${concurrency} in flight\n`,
  );
  const results = await runManyRepositoriesPasses({ ...context, repositoryIds, now, concurrency });
  printManyRepositoriesFigures(results);
}

console.log(
  `metrics benchmark: one repository of ${count(commitCount)} commits (BENCH_COMMITS), ${count(repositoryCount)} ` +
    `repositories (BENCH_REPOSITORIES), now = ${new Date(now).toISOString()}\n`,
);
const testDatabase = await createTestDatabase();
// A pool of our own, as large as the passes need (the test database's holds five).
const database = createDatabase({
  url: testDatabase.url,
  logger: createLogger({ level: 'warn', module: 'bench' }),
  maxConnections: concurrency + 1,
});
const context: BenchmarkContext = {
  database,
  computeMetrics: createTimedMetricsCompute(now),
  sampler: startRssSampler(),
};
try {
  if (commitCount > 0) await benchmarkOneRepository(context);
  if (repositoryCount > 0) await benchmarkManyRepositories(context);
} finally {
  await context.sampler.stop();
  await database.close();
  await testDatabase.drop();
}
