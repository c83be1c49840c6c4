// The ingest benchmark: `npm run bench:ingest`. Measures, in the same run and on the same machine,
// requests/s and latency of (1) the baseline — bare express + ajv, publishing nothing — and (2) the input
// gateway publishing every batch with publisher confirms, then prints their ratio. Target: ≥ 0.6 with
// 1 KB batches at 64 connections.
import { removeTestTopology, testQueuePrefix } from '@repopulse/core/testing';
import { startServer, stopServer, waitUntilReady, type RunningChild } from '../support/bench-servers.js';
import { load, report, type Round } from '../support/load-rounds.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const retryDelaysMs = [1_000, 10_000, 60_000, 300_000];

/** A generic batch of about 1 KB: four commit events. */
function batchOfAboutOneKilobyte(): string {
  const events = Array.from({ length: 4 }, (_, index) => ({
    id: `bench-${index}`,
    type: 'commit',
    action: 'pushed',
    repository: { host: 'github.com', owner: 'bench-org', name: 'bench-repo' },
    occurredAt: '2026-11-01T12:00:00Z',
    data: { sha: String(index).repeat(40).slice(0, 40), author: { email: 'bench@example.org' } },
  }));
  return JSON.stringify({ source: 'bench', events });
}

const body = batchOfAboutOneKilobyte();
const prefix = testQueuePrefix().replace('test-', 'bench-');
console.log(
  `ingest benchmark: ${Buffer.byteLength(body)}-byte batches, ${connections} connections, ${rounds} interleaved rounds of ${durationSeconds} s each\n`,
);
// Both servers run for the whole benchmark and take turns under load, so a noisy moment on this shared
// machine hits both alike; the figures are medians over the rounds. The gateway logs at info, as in
// production: every request.
const logLevel = { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info' };
const servers: RunningChild[] = [];
try {
  const baselineServer = await startServer('bench/ingest/baseline-ingest-server.ts', logLevel);
  servers.push(baselineServer);
  const gatewayServer = await startServer('input-gateway/src/index.ts', {
    ...logLevel,
    QUEUE_PREFIX: prefix,
    QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
  });
  servers.push(gatewayServer);
  await waitUntilReady(baselineServer, `http://127.0.0.1:${baselineServer.port}/health`);
  await waitUntilReady(gatewayServer, `http://127.0.0.1:${gatewayServer.port}/ready`);
  const run = (port: number, seconds: number) =>
    load({
      url: `http://127.0.0.1:${port}/v1/events`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      connections,
      seconds,
      signed: true,
    });
  await run(baselineServer.port, 2); // warm-up: JIT, sockets, the broker channel
  await run(gatewayServer.port, 2);
  const baselineRounds: Round[] = [];
  const gatewayRounds: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    baselineRounds.push(await run(baselineServer.port, durationSeconds));
    gatewayRounds.push(await run(gatewayServer.port, durationSeconds));
  }
  const baseline = report('baseline (express + ajv, no publish)', baselineRounds);
  const gateway = report('input gateway (confirmed publish)', gatewayRounds);
  console.log(
    `\nratio gateway / baseline: ${(gateway.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)} (target ≥ 0.60)`,
  );
  if (baseline.failed + gateway.failed > 0) {
    console.log(
      `warning: ${baseline.failed} baseline and ${gateway.failed} gateway requests were not answered 202`,
    );
  }
} finally {
  for (const server of servers.reverse()) await stopServer(server);
  await removeTestTopology(prefix, retryDelaysMs);
}
