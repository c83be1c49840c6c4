// The read-API benchmark's dataset: `npm run bench:read-api:generate [-- --fresh]`. Creates the database
// `repopulse_bench_read` (BENCH_DATABASE_URL), migrates it, loads 100 organisations × 100 repositories and
// 10,000,000 facts over the last two years with a few INSERT … SELECT generate_series statements, builds the
// engine's read models from those facts (the activity rollup, the daily count snapshots, the metrics by the
// engine's own metrics.compute handler) and analyses it. Prints each step's time. A database that already
// holds the dataset is left alone; `--fresh` drops it and starts again.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createLogger, ensureDatabaseExists, migrateDatabase } from '@repopulse/core';
import { buildActivityDaily, buildRepositoryCountsDaily } from './build-read-models.js';
import { computeAllMetrics } from './compute-all-metrics.js';
import { describeDataset } from './describe-dataset.js';
import { benchDatabaseUrl, datasetShape, totalFacts } from './dataset-shape.js';
import {
  loadCommits,
  loadForks,
  loadIssues,
  loadPullRequests,
  loadReleases,
  loadStars,
} from './load-facts.js';
import { loadRepositories, setReportedCounts } from './load-repositories.js';
import { buildOwnerActivityDaily } from './owner-activity-daily.js';

const fresh = process.argv.includes('--fresh');
// The metrics handler keeps one connection per repository in flight; Node computes one repository's
// metrics while PostgreSQL writes another's points.
const metricsConcurrency = Number(process.env.BENCH_METRICS_CONCURRENCY ?? 3);
// Repositories given the whole year of daily metric points (the rest get the snapshot and today's point).
const seriesRepositories = Number(process.env.BENCH_SERIES_REPOSITORIES ?? 1_000);
const logger = createLogger({ level: process.env.BENCH_LOG_LEVEL ?? 'warn', module: 'bench' });

async function step<T>(name: string, work: () => Promise<T>, describe?: (result: T) => string): Promise<T> {
  const started = performance.now();
  const result = await work();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${name.padEnd(34)} ${seconds.padStart(7)} s${describe ? `   ${describe(result)}` : ''}`);
  return result;
}

const rows = (count: number) => `${count.toLocaleString('en-US')} rows`;

async function dropDatabase(url: string): Promise<void> {
  const maintenance = new URL(url);
  const name = decodeURIComponent(maintenance.pathname.replace(/^\//, ''));
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function holdsDataset(client: pg.Client): Promise<boolean> {
  const { rows: found } = await client.query<{ repositories: number; snapshots: number }>(
    `SELECT (SELECT count(*) FROM repositories)::int AS repositories,
            (SELECT count(*) FROM metric_snapshots)::int AS snapshots`,
  );
  return found[0]!.repositories > 0 && found[0]!.snapshots === found[0]!.repositories;
}

const now = new Date();
console.log(
  `read-API dataset: ${datasetShape.organisations} organisations × ${datasetShape.repositoriesPerOrganisation} repositories, ` +
    `${totalFacts().toLocaleString('en-US')} facts over ${datasetShape.windowDays} days, into ${benchDatabaseUrl}`,
);
const generationStarted = performance.now();
if (fresh) await step('drop the database', () => dropDatabase(benchDatabaseUrl));
await step('create and migrate', async () => {
  await ensureDatabaseExists(benchDatabaseUrl);
  await migrateDatabase(benchDatabaseUrl, logger);
});

const client = new pg.Client({
  connectionString: benchDatabaseUrl,
  application_name: 'bench-read-api-generate',
});
await client.connect();
try {
  if (await holdsDataset(client)) {
    console.log(
      'The database already holds the dataset; `npm run bench:read-api:generate -- --fresh` makes it anew.',
    );
    process.exit(0);
  }
  const { rows: existing } = await client.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM repositories',
  );
  if (existing[0]!.count > 0) {
    throw new Error('The database holds part of a dataset (an interrupted run?); run again with --fresh.');
  }
  // The load's own session only: big sorts and hashes in memory, no wait for the WAL flush at each commit.
  await client.query(`SET work_mem = '256MB'`);
  await client.query(`SET maintenance_work_mem = '1GB'`);
  await client.query('SET synchronous_commit = off');

  await step('repositories', () => loadRepositories(client, now), rows);
  await step('commits', () => loadCommits(client, now), rows);
  await step('pull requests', () => loadPullRequests(client, now), rows);
  await step('issues', () => loadIssues(client, now), rows);
  await step('releases', () => loadReleases(client), rows);
  await step('stars', () => loadStars(client, now), rows);
  await step('forks', () => loadForks(client, now), rows);
  await step('reported counts (stars, forks, …)', () => setReportedCounts(client));
  await step('activity_daily', () => buildActivityDaily(client), rows);
  await step(
    'owner_activity_daily',
    () => buildOwnerActivityDaily(client),
    (count) => (count === undefined ? 'no such table (its migration is not there yet)' : rows(count)),
  );
  await step('repository_counts_daily', () => buildRepositoryCountsDaily(client, now), rows);
  // Statistics before the metrics: the handler's queries are planned on them.
  await step('analyse', () => client.query('ANALYZE'));
  await step(
    `metrics (${metricsConcurrency} at a time)`,
    () =>
      computeAllMetrics({
        databaseUrl: benchDatabaseUrl,
        logger,
        now,
        concurrency: metricsConcurrency,
        withSeries: seriesRepositories,
      }),
    (run) =>
      `${run.repositories.toLocaleString('en-US')} snapshots, a year of daily points for ${run.withSeries.toLocaleString('en-US')}` +
      ` repositories, ${rows(run.points)} in metric_points; one repository took ${run.seriesMeanMs.toFixed(0)} ms` +
      ` with its year of points, ${run.snapshotMeanMs.toFixed(0)} ms without`,
  );
  // As autovacuum would leave the tables after such a load: visibility map set, statistics fresh.
  await step('vacuum and analyse', () => client.query('VACUUM (ANALYZE)'));
  for (const line of await describeDataset(client)) console.log(line);
  const { rows: size } = await client.query<{ size: string }>(
    'SELECT pg_size_pretty(pg_database_size(current_database())) AS size',
  );
  console.log(
    `done in ${((performance.now() - generationStarted) / 1000 / 60).toFixed(1)} min; the database takes ${size[0]!.size}`,
  );
} finally {
  await client.end();
}
