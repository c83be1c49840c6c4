// The ingest-throughput benchmark: `npm run bench:ingest-throughput`. Measures, in the same run and on the
// same machine, events/s of (1) the baseline — a plain COPY of the fact rows into a fresh database — and
// (2) the integration engine turning the same events, pre-loaded into `ingest.events`, into facts and
// activity rollups, then prints their ratio. Target: ≥ 0.3.
import { createTestDatabase } from '@repopulse/core/testing';
import { median } from '../support/load-rounds.js';
import { copyRound } from './copy-facts.js';
import { engineRound, type FactCounts } from './engine-round.js';
import { generateDataset, type Dataset } from './generate-events.js';

const events = Number(process.env.BENCH_EVENTS ?? 100_000);
const batchSize = Number(process.env.BENCH_BATCH_SIZE ?? 500);
const repositories = Number(process.env.BENCH_REPOSITORIES ?? 50);
// A batch holds one repository's events by default, as a forge import or a push sends them; a batch
// spread over every repository makes concurrent batches wait on each other's repository row locks.
const repositoriesPerBatch = Number(process.env.BENCH_REPOSITORIES_PER_BATCH ?? 1);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
// Untimed batches the engine handles first, on repositories of another owner (0: time a cold process).
const warmUpEvents = Number(process.env.BENCH_WARMUP_EVENTS ?? 20_000);
const engineEnv: Record<string, string> = { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' };
if (process.env.BENCH_PREFETCH) engineEnv.QUEUE_PREFETCH = process.env.BENCH_PREFETCH;

/** A fresh copy of the migrated template for each round of each side, dropped afterwards. */
async function inFreshDatabase<T>(
  work: (database: Awaited<ReturnType<typeof createTestDatabase>>) => Promise<T>,
) {
  const testDatabase = await createTestDatabase();
  try {
    return await work(testDatabase);
  } finally {
    await testDatabase.drop();
  }
}

/** The engine must end with exactly the rows the baseline copied, and a rollup that counts them all. */
function checkFacts(facts: FactCounts, dataset: Dataset): string[] {
  const { commits, pullRequests, issues } = dataset.rows;
  const expected: Array<[string, number, number]> = [
    ['commits', facts.commits, commits.length],
    ['pull_requests', facts.pullRequests, pullRequests.length],
    ['issues', facts.issues, issues.length],
    ['activity_daily.commits', facts.rollupCommits, commits.length],
    ['activity_daily.pull_requests_opened', facts.rollupPullRequestsOpened, pullRequests.length],
    ['activity_daily.issues_opened', facts.rollupIssuesOpened, issues.length],
  ];
  return expected
    .filter(([, actual, wanted]) => actual !== wanted)
    .map(([name, actual, wanted]) => `${name}: ${actual}, expected ${wanted}`);
}

function line(name: string, results: Array<{ eventsPerSecond: number; ms: number }>): number {
  const rate = median(results.map((result) => result.eventsPerSecond));
  const each = results.map(
    (result) => `${result.eventsPerSecond.toFixed(0)} (${(result.ms / 1000).toFixed(1)} s)`,
  );
  console.log(`${name.padEnd(40)} ${rate.toFixed(0).padStart(7)} events/s   (rounds: ${each.join(', ')})`);
  return rate;
}

const dataset = generateDataset({ events, batchSize, repositories, repositoriesPerBatch });
const warmUp =
  warmUpEvents > 0
    ? generateDataset({
        events: warmUpEvents,
        batchSize,
        repositories,
        repositoriesPerBatch,
        owner: 'bench-warm-up',
        source: 'bench-warm-up',
      })
    : undefined;
const { rows } = dataset;
console.log(
  `ingest-throughput benchmark: ${events} events (${rows.commits.length} commits, ${rows.pullRequests.length} pull requests, ` +
    `${rows.issues.length} issues) in ${dataset.batches.length} batches of ${batchSize} over ${repositories} repositories ` +
    `(${Math.min(repositoriesPerBatch, repositories)} per batch), ${rounds} alternating rounds` +
    (engineEnv.QUEUE_PREFETCH ? `, QUEUE_PREFETCH=${engineEnv.QUEUE_PREFETCH}` : '') +
    (warmUp
      ? `; the engine handles ${warmUpEvents} untimed warm-up events first`
      : '; the engine starts cold') +
    '\n',
);
const copyResults: Array<{ eventsPerSecond: number; ms: number }> = [];
const engineResults: Array<{ eventsPerSecond: number; ms: number }> = [];
const problems: string[] = [];
for (let round = 0; round < rounds; round++) {
  copyResults.push(
    await inFreshDatabase((testDatabase) => copyRound(testDatabase.database, testDatabase.url, dataset)),
  );
  const engine = await inFreshDatabase((testDatabase) =>
    engineRound({
      database: testDatabase.database,
      databaseUrl: testDatabase.url,
      dataset,
      warmUp,
      engineEnv,
    }),
  );
  engineResults.push(engine);
  problems.push(...checkFacts(engine.facts, dataset).map((problem) => `round ${round + 1}: ${problem}`));
}
const baseline = line('baseline (COPY into the fact tables)', copyResults);
const engine = line('integration engine (queue → facts)', engineResults);
console.log(`\nratio engine / baseline: ${(engine / baseline).toFixed(3)} (target ≥ 0.30)`);
for (const problem of problems) console.log(`warning: ${problem}`);
