// The proxy benchmark: `npm run bench:proxy`. Measures, in the same run and on the same machine,
// requests/s and latency of one output-gateway read (a year of weekly activity) asked (1) of the output
// gateway directly, (2) through the permission proxy with a JWT, (3) through the proxy with an API key,
// then prints the ratios proxied / direct. Target: ≥ 0.5 for both.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@repopulse/core/testing';
import autocannon from 'autocannon';
import { seedReadData } from './seed-read-data.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const proxyEntry = 'permission-proxy/src/index.ts';
const gatewayEntry = 'output-gateway/src/index.ts';
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
// Both servers at the same level, so neither pays for request logging the other skips.
const logLevel = process.env.BENCH_LOG_LEVEL ?? 'warn';

interface Round {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  failed: number;
}

interface RunningChild {
  child: ChildProcess;
  port: number;
  /** Rejects as soon as the process ends, so a server that cannot start fails the run at once. */
  exited: Promise<never>;
}

/** A port nobody listens on now, for a server started as a child process. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startServer(script: string, env: Record<string, string>): Promise<RunningChild> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, PORT: String(port), LOG_LEVEL: logLevel, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<never>((_resolve, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`${script} exited (${signal ?? code})`))),
  );
  exited.catch(() => {}); // observed by whoever waits on it; a late exit at cleanup is expected
  return { child, port, exited };
}

async function waitUntilReady(server: RunningChild, url: string): Promise<void> {
  const ready = (async () => {
    for (let attempt = 0; attempt < 300; attempt++) {
      const response = await fetch(url).catch(() => undefined);
      if (response?.ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${url} never became ready`);
  })();
  await Promise.race([ready, server.exited]);
}

async function stopServer(server: RunningChild): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

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

async function load(url: string, headers: Record<string, string>, seconds: number): Promise<Round> {
  const result = await autocannon({ url, headers, connections, duration: seconds });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function report(name: string, measured: Round[]) {
  const summary = {
    requestsPerSecond: median(measured.map((round) => round.requestsPerSecond)),
    p50: median(measured.map((round) => round.p50)),
    p99: median(measured.map((round) => round.p99)),
    failed: measured.reduce((sum, round) => sum + round.failed, 0),
  };
  const each = measured.map((round) => round.requestsPerSecond.toFixed(0)).join(', ');
  console.log(
    `${name.padEnd(30)} ${summary.requestsPerSecond.toFixed(0).padStart(6)} req/s   p50 ${summary.p50.toFixed(0).padStart(3)} ms   p99 ${summary.p99.toFixed(0).padStart(3)} ms   (rounds: ${each})`,
  );
  return summary;
}

if (!existsSync(`${root}${proxyEntry}`)) {
  console.error(
    `proxy benchmark: ${proxyEntry} does not exist yet; the benchmark starts the proxy from its composition root.`,
  );
  process.exit(1);
}

console.log(
  `proxy benchmark: a year of weekly activity, ${connections} connections, ${rounds} interleaved rounds of ${durationSeconds} s each\n`,
);
const testDatabase = await createTestDatabase();
const servers: RunningChild[] = [];
try {
  const seeded = await seedReadData(testDatabase.database);
  const gateway = await startServer(gatewayEntry, { DATABASE_URL: testDatabase.url });
  servers.push(gateway);
  const proxy = await startServer(proxyEntry, {
    DATABASE_URL: testDatabase.url,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_PASSWORD: randomBytes(16).toString('base64url'),
    OUTPUT_GATEWAY_URL: `http://127.0.0.1:${gateway.port}`,
  });
  servers.push(proxy);
  const gatewayBase = `http://127.0.0.1:${gateway.port}`;
  const proxyBase = `http://127.0.0.1:${proxy.port}`;
  await waitUntilReady(gateway, `${gatewayBase}/ready`);
  await waitUntilReady(proxy, `${proxyBase}/ready`);

  const directUrl = `${gatewayBase}${seeded.activityPath}`;
  const proxiedUrl = `${proxyBase}/api${seeded.activityPath}`;
  const withKey = { authorization: `Bearer ${seeded.apiKey}` };
  // A fresh token for each round: a JWT lives minutes, the whole run may take longer.
  const withToken = async () => ({
    authorization: `Bearer ${await logIn(proxyBase, seeded.username, seeded.password)}`,
  });
  const direct = await checkAnswer('direct', directUrl, {});
  await checkAnswer('proxy with a JWT', proxiedUrl, await withToken(), direct);
  await checkAnswer('proxy with an API key', proxiedUrl, withKey, direct);

  // Warm-up: JIT, pooled sockets, the database pools, the proxy's caches.
  await load(directUrl, {}, 2);
  await load(proxiedUrl, await withToken(), 2);
  await load(proxiedUrl, withKey, 2);
  // All three take turns under load, so a noisy moment on a shared machine hits each alike; the figures
  // are medians over the rounds.
  const directRounds: Round[] = [];
  const tokenRounds: Round[] = [];
  const keyRounds: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    directRounds.push(await load(directUrl, {}, durationSeconds));
    tokenRounds.push(await load(proxiedUrl, await withToken(), durationSeconds));
    keyRounds.push(await load(proxiedUrl, withKey, durationSeconds));
  }
  const directSummary = report('direct (output gateway)', directRounds);
  const tokenSummary = report('through the proxy, JWT', tokenRounds);
  const keySummary = report('through the proxy, API key', keyRounds);
  console.log(
    `\nratio proxy with JWT / direct:     ${(tokenSummary.requestsPerSecond / directSummary.requestsPerSecond).toFixed(2)} (target ≥ 0.50)`,
  );
  console.log(
    `ratio proxy with API key / direct: ${(keySummary.requestsPerSecond / directSummary.requestsPerSecond).toFixed(2)} (target ≥ 0.50)`,
  );
  const failed = directSummary.failed + tokenSummary.failed + keySummary.failed;
  if (failed > 0) {
    console.log(
      `warning: requests not answered 2xx: ${directSummary.failed} direct, ${tokenSummary.failed} with a JWT, ${keySummary.failed} with an API key`,
    );
  }
} finally {
  for (const server of servers.reverse()) await stopServer(server);
  await testDatabase.drop();
}
