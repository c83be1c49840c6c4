// The proxy benchmark: `npm run bench:proxy`. Measures, in the same run and on the same machine,
// requests/s and latency of one output-gateway read (a year of weekly activity) asked (1) of the output
// gateway directly, (2) through the permission proxy with a JWT, (3) through the proxy with an API key,
// then prints the ratios proxied / direct. Target: ≥ 0.5 for both.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createTestDatabase, proxyHeadersFor } from '@repopulse/core/testing';
import {
  repositoryRoot,
  startServer,
  stopServer,
  waitUntilReady,
  type RunningChild,
} from '../support/bench-servers.js';
import { load, median, report, type Round } from '../support/load-rounds.js';
import { databaseCpuMs, processCpuMs } from '../support/process-cpu.js';
import { seedReadData } from './seed-read-data.js';

const proxyEntry = 'permission-proxy/src/index.ts';
const gatewayEntry = 'output-gateway/src/index.ts';
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 6);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
// Both servers at the same level, so neither pays for request logging the other skips.
const logLevel = process.env.BENCH_LOG_LEVEL ?? 'warn';

async function logIn(proxyBase: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${proxyBase}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) {
    throw new Error(`POST /auth/token answered ${response.status}: ${await response.text()}`);
  }
  return ((await response.json()) as { access_token: string }).access_token;
}

/** One request before the load: the same answer directly and through the proxy, or the run stops here. */
async function checkAnswer(name: string, url: string, headers: Record<string, string>, expected?: string) {
  const response = await fetch(url, { headers });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${name}: ${url} answered ${response.status}: ${body}`);
  if (expected !== undefined && body !== expected) {
    throw new Error(`${name}: the proxied answer differs from the direct one:\n${body}\n${expected}`);
  }
  return body;
}

if (!existsSync(`${repositoryRoot}${proxyEntry}`)) {
  console.error(
    `proxy benchmark: ${proxyEntry} does not exist; the benchmark starts the proxy from its composition root.`,
  );
  process.exit(1);
}

interface Scenario {
  name: string;
  /** The output gateway's path; through the proxy it is `/api` + this. */
  path: string;
}

/** CPU time used so far by the proxy's process and by its PostgreSQL connections, in ms. */
type CpuSample = () => Promise<{ proxyMs: number; databaseMs: number }>;

interface CpuPerRequest {
  proxyUs: number;
  databaseUs: number;
}

function reportCpu(name: string, rounds: CpuPerRequest[]): void {
  const proxy = median(rounds.map((round) => round.proxyUs));
  const database = median(rounds.map((round) => round.databaseUs));
  console.log(
    `${name.padEnd(38)} ${proxy.toFixed(0).padStart(6)} µs in the proxy, ${database.toFixed(0).padStart(4)} µs in its PostgreSQL connections`,
  );
}

/**
 * Direct, through the proxy with a JWT and with an API key take turns under load, so a noisy moment on a
 * shared machine hits each alike; the figures are medians over the rounds. CPU time per proxied request
 * (the proxy's process, and the PostgreSQL backends of its pool) depends far less on what else the machine
 * is doing than requests/s does.
 */
async function measure(
  scenario: Scenario,
  gatewayBase: string,
  proxyBase: string,
  token: () => Promise<string>,
  apiKey: string,
  cpu: CpuSample,
) {
  const directUrl = `${gatewayBase}${scenario.path}`;
  const proxiedUrl = `${proxyBase}/api${scenario.path}`;
  const withKey = { authorization: `Bearer ${apiKey}` };
  const withToken = async () => ({ authorization: `Bearer ${await token()}` });
  const direct = await checkAnswer('direct', directUrl, proxyHeadersFor('GET', scenario.path));
  await checkAnswer('proxy with a JWT', proxiedUrl, await withToken(), direct);
  await checkAnswer('proxy with an API key', proxiedUrl, withKey, direct);
  const run = async (url: string, headers: Record<string, string>, seconds: number) =>
    load({ url, headers, connections, seconds, signed: url === directUrl });
  // Warm-up: JIT, pooled sockets, the database pools, the proxy's caches.
  await run(directUrl, {}, 2);
  await run(proxiedUrl, await withToken(), 2);
  await run(proxiedUrl, withKey, 2);
  const measured: Record<'direct' | 'token' | 'key', Round[]> = { direct: [], token: [], key: [] };
  const cpuOf: Record<'token' | 'key', CpuPerRequest[]> = { token: [], key: [] };
  const runProxied = async (way: 'token' | 'key', headers: Record<string, string>) => {
    const before = await cpu();
    const round = await run(proxiedUrl, headers, durationSeconds);
    const after = await cpu();
    measured[way].push(round);
    cpuOf[way].push({
      proxyUs: ((after.proxyMs - before.proxyMs) * 1_000) / round.requests,
      databaseUs: ((after.databaseMs - before.databaseMs) * 1_000) / round.requests,
    });
  };
  for (let round = 0; round < rounds; round++) {
    measured.direct.push(await run(directUrl, {}, durationSeconds));
    // A fresh token each round: a JWT lives minutes, a run may take longer.
    await runProxied('token', await withToken());
    await runProxied('key', withKey);
  }
  console.log(`\n${scenario.name}: GET ${scenario.path}`);
  const directSummary = report('  direct (output gateway)', measured.direct);
  const tokenSummary = report('  through the proxy, JWT', measured.token);
  const keySummary = report('  through the proxy, API key', measured.key);
  console.log(
    `  ratio proxy with JWT / direct:     ${(tokenSummary.requestsPerSecond / directSummary.requestsPerSecond).toFixed(2)} (target ≥ 0.50)`,
  );
  console.log(
    `  ratio proxy with API key / direct: ${(keySummary.requestsPerSecond / directSummary.requestsPerSecond).toFixed(2)} (target ≥ 0.50)`,
  );
  reportCpu('  CPU per request, JWT', cpuOf.token);
  reportCpu('  CPU per request, API key', cpuOf.key);
  const failed = directSummary.failed + tokenSummary.failed + keySummary.failed;
  if (failed > 0) console.log(`  warning: ${failed} requests not answered 2xx`);
}

console.log(
  `proxy benchmark: ${connections} connections, ${rounds} interleaved rounds of ${durationSeconds} s each`,
);
const testDatabase = await createTestDatabase();
const servers: RunningChild[] = [];
try {
  const seeded = await seedReadData(testDatabase.database);
  const gateway = await startServer(gatewayEntry, { DATABASE_URL: testDatabase.url, LOG_LEVEL: logLevel });
  servers.push(gateway);
  const proxy = await startServer(proxyEntry, {
    DATABASE_URL: testDatabase.url,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_PASSWORD: randomBytes(16).toString('base64url'),
    OUTPUT_GATEWAY_URL: `http://127.0.0.1:${gateway.port}`,
    LOG_LEVEL: logLevel,
  });
  servers.push(proxy);
  const gatewayBase = `http://127.0.0.1:${gateway.port}`;
  const proxyBase = `http://127.0.0.1:${proxy.port}`;
  await waitUntilReady(gateway, `${gatewayBase}/ready`);
  await waitUntilReady(proxy, `${proxyBase}/ready`);
  const token = () => logIn(proxyBase, seeded.username, seeded.password);
  const cpu: CpuSample = async () => ({
    proxyMs: await processCpuMs(proxy.child.pid!),
    databaseMs: await databaseCpuMs(testDatabase.database, 'permission-proxy'),
  });
  // A dashboard's read (PostgreSQL does most of the work), then a read that costs the gateway almost
  // nothing, where the proxy's own cost shows undiluted.
  await measure(
    { name: 'a year of weekly activity', path: seeded.activityPath },
    gatewayBase,
    proxyBase,
    token,
    seeded.apiKey,
    cpu,
  );
  await measure(
    { name: 'the cheapest read', path: '/health' },
    gatewayBase,
    proxyBase,
    token,
    seeded.apiKey,
    cpu,
  );
} finally {
  for (const server of servers.reverse()) await stopServer(server);
  await testDatabase.drop();
}
