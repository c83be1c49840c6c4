// The ingest benchmark: `npm run bench:ingest`. Measures, in the same run and on the same machine,
// requests/s and latency of (1) the baseline — bare express + ajv, publishing nothing — and (2) the input
// gateway publishing every batch with publisher confirms, then prints their ratio. Target: ≥ 0.6 with
// 1 KB batches at 64 connections.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { removeTestTopology, testQueuePrefix } from '@repopulse/core/testing';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('../..', import.meta.url));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 10);
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

function startServer(
  script: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
    cwd: root,
    // At info, as in production: the gateway logs every request.
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      if (output.length > 10_000) return; // keep draining, stop keeping
      output += chunk.toString();
      const plain = /listening (\d+)/.exec(output);
      const logged = /"port":(\d+)/.exec(output);
      const port = plain?.[1] ?? logged?.[1];
      if (port) resolve({ child, port: Number(port) });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}: ${output}`)));
  });
}

async function waitUntilReady(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never became ready`);
}

async function load(port: number, body: string, seconds: number) {
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

async function measure(
  name: string,
  script: string,
  env: Record<string, string>,
  readyPath: string | undefined,
  body: string,
) {
  const { child, port } = await startServer(script, env);
  try {
    if (readyPath) await waitUntilReady(`http://127.0.0.1:${port}${readyPath}`);
    await load(port, body, 2); // warm-up: JIT, connection pools, broker channel
    const result = await load(port, body, durationSeconds);
    console.log(
      `${name.padEnd(34)} ${result.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${String(result.p50).padStart(4)} ms   p99 ${String(result.p99).padStart(4)} ms   (${result.total} requests, ${result.non202} not 202)`,
    );
    return result;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const body = batchOfAboutOneKilobyte();
const prefix = testQueuePrefix().replace('test-', 'bench-');
console.log(
  `ingest benchmark: ${Buffer.byteLength(body)}-byte batches, ${connections} connections, ${durationSeconds} s each\n`,
);
try {
  const baseline = await measure(
    'baseline (express + ajv, no publish)',
    'bench/ingest/baseline-ingest-server.ts',
    {},
    undefined,
    body,
  );
  const gateway = await measure(
    'input gateway (confirmed publish)',
    'input-gateway/src/index.ts',
    { QUEUE_PREFIX: prefix, QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(',') },
    '/ready',
    body,
  );
  const ratio = gateway.requestsPerSecond / baseline.requestsPerSecond;
  console.log(`\nratio gateway / baseline: ${ratio.toFixed(2)} (target ≥ 0.60)`);
  if (gateway.non202 > 0) console.log(`warning: ${gateway.non202} gateway requests were not answered 202`);
} finally {
  await removeTestTopology(prefix, retryDelaysMs);
}
