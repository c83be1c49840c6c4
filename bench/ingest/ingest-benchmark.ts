// The ingest benchmark: `npm run bench:ingest`. Measures, in the same run and on the same machine,
// requests/s and latency of (1) the baseline — bare express + ajv, publishing nothing — and (2) the input
// gateway publishing every batch with publisher confirms, then prints their ratio. Target: ≥ 0.6 with
// 1 KB batches at 64 connections.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { removeTestTopology, testQueuePrefix } from '@repopulse/core/testing';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('../..', import.meta.url));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 8);
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

/** A port nobody listens on now, for a server started as a child process. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startServer(
  script: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
    cwd: root,
    // At info by default, as in production: the gateway logs every request.
    env: { ...process.env, PORT: String(port), LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.once('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`${script} exited with ${code}`);
  });
  return { child, port };
}

async function waitUntilReady(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never became ready`);
}

async function load(port: number, body: string, seconds: number): Promise<Round> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/v1/events`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration: seconds,
  });
  const non202 = result.non2xx + result.errors + result.timeouts;
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non202,
  };
}

interface Round {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  non202: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function report(name: string, rounds: Round[]) {
  const summary = {
    requestsPerSecond: median(rounds.map((round) => round.requestsPerSecond)),
    p50: median(rounds.map((round) => round.p50)),
    p99: median(rounds.map((round) => round.p99)),
    non202: rounds.reduce((sum, round) => sum + round.non202, 0),
  };
  const each = rounds.map((round) => round.requestsPerSecond.toFixed(0)).join(', ');
  console.log(
    `${name.padEnd(38)} ${summary.requestsPerSecond.toFixed(0).padStart(6)} req/s   p50 ${String(summary.p50).padStart(3)} ms   p99 ${String(summary.p99).padStart(3)} ms   (rounds: ${each})`,
  );
  return summary;
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const body = batchOfAboutOneKilobyte();
const prefix = testQueuePrefix().replace('test-', 'bench-');
console.log(
  `ingest benchmark: ${Buffer.byteLength(body)}-byte batches, ${connections} connections, ${rounds} interleaved rounds of ${durationSeconds} s each\n`,
);
// Both servers run for the whole benchmark and take turns under load, so a noisy moment on this shared
// machine hits both alike; the figures are medians over the rounds.
const baselineServer = await startServer('bench/ingest/baseline-ingest-server.ts', {});
const gatewayServer = await startServer('input-gateway/src/index.ts', {
  QUEUE_PREFIX: prefix,
  QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
});
try {
  await waitUntilReady(`http://127.0.0.1:${baselineServer.port}/health`);
  await waitUntilReady(`http://127.0.0.1:${gatewayServer.port}/ready`);
  await load(baselineServer.port, body, 2); // warm-up: JIT, sockets, the broker channel
  await load(gatewayServer.port, body, 2);
  const baselineRounds: Round[] = [];
  const gatewayRounds: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    baselineRounds.push(await load(baselineServer.port, body, durationSeconds));
    gatewayRounds.push(await load(gatewayServer.port, body, durationSeconds));
  }
  const baseline = report('baseline (express + ajv, no publish)', baselineRounds);
  const gateway = report('input gateway (confirmed publish)', gatewayRounds);
  const ratio = gateway.requestsPerSecond / baseline.requestsPerSecond;
  console.log(`\nratio gateway / baseline: ${ratio.toFixed(2)} (target ≥ 0.60)`);
  if (baseline.non202 + gateway.non202 > 0) {
    console.log(
      `warning: ${baseline.non202} baseline and ${gateway.non202} gateway requests were not answered 202`,
    );
  }
} finally {
  for (const { child } of [baselineServer, gatewayServer]) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  await removeTestTopology(prefix, retryDelaysMs);
}
