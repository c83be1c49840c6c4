// The data-latency benchmark: `npm run bench:latency`. Runs the whole data path — input gateway,
// RabbitMQ, integration engine, PostgreSQL, output gateway — as child processes, sends commit events at a
// steady rate and measures, per probed batch, the time from the gateway's 202 to the first activity
// answer of the output gateway that counts the batch. Target: p95 < 1 s at 1,000 events/s. The same-run
// reference is a direct INSERT + SELECT round trip on the database.
import type { Queryable } from '@repopulse/core';
import { createTestDatabase, removeTestTopology, testQueuePrefix } from '@repopulse/core/testing';
import { startServer, stopServer, waitUntilReady, type RunningChild } from '../support/bench-servers.js';
import { waitUntilCounted } from './activity-probe.js';
import { startRoundTripSampler } from './database-round-trip.js';
import { printSummary, summarise } from './latency-summary.js';
import { probeRepositoryName, sendSteadily } from './steady-sender.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const eventsPerSecond = Number(process.env.BENCH_RATE ?? 1_000);
const batchSize = Number(process.env.BENCH_BATCH_SIZE ?? 50);
const repositories = Number(process.env.BENCH_REPOSITORIES ?? 50);
// Commits arrive as pushes, one repository's each: a batch's load events fall on one repository by default.
const repositoriesPerBatch = Number(process.env.BENCH_REPOSITORIES_PER_BATCH ?? 1);
const probeEvery = Number(process.env.BENCH_PROBE_EVERY ?? 2);
const pollIntervalMs = Number(process.env.BENCH_POLL_MS ?? 15);
const probeTimeoutMs = 60_000;
const retryDelaysMs = [1_000, 10_000, 60_000, 300_000];
const logLevel = process.env.BENCH_LOG_LEVEL ?? 'warn';
const engineEnv: Record<string, string> = process.env.BENCH_PREFETCH
  ? { QUEUE_PREFETCH: process.env.BENCH_PREFETCH }
  : {};

/**
 * Waits until every accepted event is a fact (the engine caught up); resolves with when that was seen, or
 * undefined if the engine is still behind after two minutes.
 */
async function waitUntilDrained(database: Queryable, events: number): Promise<number | undefined> {
  const deadline = performance.now() + 120_000;
  for (;;) {
    const { rows } = await database.query<{ done: number }>(
      // Every event is a commit of its own sha, in a database of the benchmark's own.
      `SELECT count(*)::integer AS done FROM commits`,
    );
    if (rows[0]!.done >= events) return performance.now();
    if (performance.now() > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startDataPath(databaseUrl: string, prefix: string, servers: RunningChild[]) {
  const common = {
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: prefix,
    QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
    LOG_LEVEL: logLevel,
  };
  const start = async (script: string, env: Record<string, string> = {}) => {
    const server = await startServer(script, { ...common, ...env });
    servers.push(server);
    await waitUntilReady(server, `http://127.0.0.1:${server.port}/ready`);
    return `http://127.0.0.1:${server.port}`;
  };
  // The engine first: it owns the schema and declares the topology before anyone publishes.
  await start('integration-engine/src/index.ts', engineEnv);
  const [gatewayBase, outputBase] = await Promise.all([
    start('input-gateway/src/index.ts'),
    start('output-gateway/src/index.ts'),
  ]);
  return { gatewayBase, outputBase };
}

const probed = probeEvery === 1 ? 'every batch' : `one batch in ${probeEvery}`;
console.log(
  `data-latency benchmark: ${eventsPerSecond} commit events/s in batches of ${batchSize} over ${repositories} ` +
    `repositories (${Math.min(repositoriesPerBatch, repositories)} per batch, plus its probe repository) ` +
    `for ${seconds} s after ${warmupSeconds} s of warm-up; ${probed} probed, polling every ${pollIntervalMs} ms` +
    (engineEnv.QUEUE_PREFETCH ? `, QUEUE_PREFETCH=${engineEnv.QUEUE_PREFETCH}` : '') +
    '\n',
);
const testDatabase = await createTestDatabase();
const prefix = testQueuePrefix().replace('test-', 'bench-');
const servers: RunningChild[] = [];
try {
  const { gatewayBase, outputBase } = await startDataPath(testDatabase.url, prefix, servers);
  const sender = { gatewayBase, eventsPerSecond, batchSize, repositories, repositoriesPerBatch };
  const warmup = await sendSteadily({ ...sender, seconds: warmupSeconds, label: 'warmup', onAccepted() {} });
  const roundTrips = await startRoundTripSampler(testDatabase.url, 100);
  const probes: Array<Promise<number | undefined>> = [];
  const run = await sendSteadily({
    ...sender,
    seconds,
    label: 'run',
    onAccepted(batchNumber, acceptedAt) {
      if (batchNumber % probeEvery !== 0) return;
      const probe = { outputBase, intervalMs: pollIntervalMs, timeoutMs: probeTimeoutMs };
      probes.push(waitUntilCounted(probeRepositoryName('run', batchNumber), acceptedAt, probe));
    },
  });
  const lastSent = performance.now();
  const [latencies, drainedAt] = await Promise.all([
    Promise.all(probes),
    waitUntilDrained(testDatabase.database, warmup.acceptedEvents + run.acceptedEvents),
  ]);
  const databaseRoundTrips = await roundTrips.stop();

  const seen = latencies.filter((latency): latency is number => latency !== undefined);
  const dashboard = summarise(seen);
  console.log(
    `achieved: ${((run.acceptedEvents * 1_000) / run.elapsedMs).toFixed(0)} events/s accepted ` +
      `(${run.acceptedEvents} events in ${(run.elapsedMs / 1_000).toFixed(1)} s, ${run.failed} batches not accepted)`,
  );
  printSummary('POST /v1/events → 202 (input gateway)', summarise(run.postLatencies));
  printSummary('202 → counted by the activity read', dashboard);
  printSummary('reference: INSERT + SELECT on the database', summarise(databaseRoundTrips));
  const caughtUp =
    drainedAt === undefined
      ? 'engine still behind 120 s after the last 202'
      : `engine caught up ${Math.max(0, (drainedAt - lastSent) / 1_000).toFixed(1)} s after the last 202`;
  const unseen = latencies.length - seen.length;
  console.log(
    `\n${caughtUp}${unseen > 0 ? `; ${unseen} probes not seen within ${probeTimeoutMs / 1_000} s` : ''}`,
  );
  console.log(`p95 data-to-dashboard: ${dashboard.p95.toFixed(0)} ms (target < 1000 ms)`);
} finally {
  for (const server of servers.reverse()) await stopServer(server);
  await removeTestTopology(prefix, retryDelaysMs);
  await testDatabase.drop();
}
