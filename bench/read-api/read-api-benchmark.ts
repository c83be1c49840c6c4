// The read-API benchmark: `npm run bench:read-api` (after `npm run bench:read-api:generate`). Starts the
// output gateway on the benchmark's database and, in the same run and interleaved, asks each endpoint
// through HTTP and computes the same answer with a plain SQL query over the raw fact tables; prints p50
// and p99 of both, their ratio, and PASS/MISS against the target: p99 under 50 ms for repository detail,
// a year of weekly activity, organisation portfolio, compare of five and trends.
import { loadavg } from 'node:os';
import { createDatabase, createLogger, migrateDatabase } from '@repopulse/core';
import { startServer, stopServer, waitUntilReady } from '../support/bench-servers.js';
import { drawSubjects } from './benchmark-subjects.js';
import { benchDatabaseUrl } from './dataset-shape.js';
import { readScenarios } from './read-scenarios.js';
import { printTable, probeScenarios, runScenarios } from './run-scenarios.js';
import { closeConnections } from './timed-get.js';

const gatewayEntry = 'output-gateway/src/index.ts';
const samples = Number(process.env.BENCH_SAMPLES ?? 200);
const warmUp = Number(process.env.BENCH_WARMUP ?? 20);
const logLevel = process.env.BENCH_LOG_LEVEL ?? 'warn';
const logger = createLogger({ level: logLevel, module: 'bench' });

// A dataset generated before a migration was added gets it now, as the engine would apply it at start.
const applied = await migrateDatabase(benchDatabaseUrl, logger);
// The raw side's own connections: one query at a time, like the gateway's answers to this benchmark.
const database = createDatabase({
  url: benchDatabaseUrl,
  logger,
  maxConnections: 2,
  applicationName: 'bench-raw',
});
if (applied.length > 0) {
  console.log(`applied ${applied.join(', ')} to the benchmark database; analysing`);
  await database.query('ANALYZE');
}
const gateway = await startServer(gatewayEntry, {
  DATABASE_URL: benchDatabaseUrl,
  DATABASE_READ_URL: benchDatabaseUrl,
  LOG_LEVEL: logLevel,
});
try {
  const base = `http://127.0.0.1:${gateway.port}`;
  await waitUntilReady(gateway, `${base}/ready`);
  const subjects = await drawSubjects(database, samples + warmUp);
  console.log(
    `read-API benchmark: ${samples} samples per endpoint after ${warmUp} of warm-up, one request at a time, ` +
      `HTTP and raw SQL interleaved; dataset as of ${subjects.asOf.toISOString()}`,
  );
  const { present, missing } = await probeScenarios(base, readScenarios(database, subjects));
  for (const scenario of missing)
    console.log(`  not measured: ${scenario.name} (the gateway answers 404: no such route yet)`);
  const loadBefore = loadavg()[0]!;
  printTable(await runScenarios(base, present, { samples, warmUp }));
  // The machine is shared: its load says how much the figures owe to others' work.
  console.log(`load average (1 min): ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`);
} finally {
  closeConnections();
  await stopServer(gateway);
  await database.close();
}
