// The slow-client benchmark: `npm run bench:slow-clients`. The permission proxy and the input gateway run
// as child processes; a supplier posts one small batch at a time through the proxy, first on a quiet
// proxy (the baseline, measured in the same run), then while BENCH_SLOW_CONNECTIONS (280) connections send
// anonymous webhook bodies a byte every 250 ms. Reported: the supplier's p50, p99 and worst latency in
// both, and the ratio. Target: the worst under load within a second of the quiet worst.
import { randomBytes } from 'node:crypto';
import { createApiKey } from '@repopulse/core';
import { createTestDatabase, removeTestTopology, testQueuePrefix } from '@repopulse/core/testing';
import { startSlowSenders } from '../../e2e/test/support/slow-senders.js';
import { startServer, stopServer, waitUntilReady, type RunningChild } from '../support/bench-servers.js';

const slowConnections = Number(process.env.BENCH_SLOW_CONNECTIONS ?? 280);
const requests = Number(process.env.BENCH_REQUESTS ?? 300);
const retryDelaysMs = [1_000];
const logLevel = process.env.BENCH_LOG_LEVEL ?? 'warn';

function batch(index: number): string {
  return JSON.stringify({
    source: 'bench-slow-clients',
    events: [
      {
        id: `slow-bench-${index}-${randomBytes(4).toString('hex')}`,
        type: 'star',
        action: 'created',
        repository: { host: 'gitea.example.org', owner: 'bench', name: 'slow' },
        occurredAt: '2026-11-02T10:00:00Z',
        actor: { login: `fan-${index}` },
        data: {},
      },
    ],
  });
}

async function measure(proxyUrl: string, key: string): Promise<number[]> {
  const latencies: number[] = [];
  for (let index = 0; index < requests; index++) {
    const started = performance.now();
    const response = await fetch(`${proxyUrl}/ingest/v1/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'x-forwarded-for': '192.0.2.200',
      },
      body: batch(index),
    });
    await response.arrayBuffer();
    if (response.status !== 202) throw new Error(`the supplier got ${response.status}`);
    latencies.push(performance.now() - started);
  }
  return latencies.sort((a, b) => a - b);
}

const at = (sorted: number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
const line = (name: string, sorted: number[]) =>
  console.log(
    `${name.padEnd(36)} p50 ${at(sorted, 0.5).toFixed(1).padStart(6)} ms   p99 ${at(sorted, 0.99).toFixed(1).padStart(6)} ms   worst ${sorted.at(-1)!.toFixed(1).padStart(7)} ms`,
  );

const testDatabase = await createTestDatabase();
const prefix = testQueuePrefix().replace('test-', 'bench-');
const servers: RunningChild[] = [];
try {
  const input = await startServer('input-gateway/src/index.ts', {
    DATABASE_URL: testDatabase.url,
    QUEUE_PREFIX: prefix,
    QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
    GITHUB_WEBHOOK_SECRET: 'bench-slow-clients-webhook-secret',
    LOG_LEVEL: logLevel,
  });
  servers.push(input);
  await waitUntilReady(input, `http://127.0.0.1:${input.port}/ready`);
  const proxy = await startServer('permission-proxy/src/index.ts', {
    DATABASE_URL: testDatabase.url,
    INPUT_GATEWAY_URL: `http://127.0.0.1:${input.port}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_PASSWORD: randomBytes(16).toString('base64url'),
    TRUSTED_PROXIES: 'loopback',
    LOG_LEVEL: logLevel,
  });
  servers.push(proxy);
  const proxyUrl = `http://127.0.0.1:${proxy.port}`;
  await waitUntilReady(proxy, `${proxyUrl}/ready`);
  // No rate limit in the way of the measurement: the supplier's rule is lifted.
  await testDatabase.database.query(
    `UPDATE acl_rules SET rate_limit_per_minute = NULL, rate_limit_burst = NULL WHERE path_pattern = '/ingest/*'`,
  );
  const key = (await createApiKey(testDatabase.database, { name: 'bench supplier', role: 'supplier' })).key;
  console.log(
    `slow-client benchmark: ${requests} supplier batches one at a time, quiet then beside ${slowConnections} slow bodies\n`,
  );
  await measure(proxyUrl, key); // warm-up
  const quiet = await measure(proxyUrl, key);
  const attack = startSlowSenders({
    port: proxy.port,
    count: slowConnections,
    path: '/ingest/v1/webhooks/github',
    headers: {
      'Content-Type': 'application/json',
      'X-GitHub-Event': 'push',
      'X-GitHub-Delivery': 'slow',
      'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}`,
    },
    bodyBytes: 100_000,
    byteEveryMs: 250,
    addressOf: (index) => `198.51.100.${index % 28}`,
  });
  let underLoad: number[];
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // every slow connection sending
    underLoad = await measure(proxyUrl, key);
  } finally {
    attack.stop();
  }
  line('quiet proxy (baseline)', quiet);
  line(`beside ${slowConnections} slow bodies`, underLoad);
  console.log(
    `\nworst under load - worst quiet: ${(underLoad.at(-1)! - quiet.at(-1)!).toFixed(1)} ms (target < 1000); p99 ratio ${(at(underLoad, 0.99) / at(quiet, 0.99)).toFixed(2)}`,
  );
} finally {
  for (const server of servers.reverse()) await stopServer(server);
  await removeTestTopology(prefix, retryDelaysMs);
  await testDatabase.drop();
}
