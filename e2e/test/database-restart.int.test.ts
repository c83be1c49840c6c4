import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createDatabase, createLogger, topologyNames, type Database } from '@repopulse/core';
import { queueDepth, waitFor } from '@repopulse/core/testing';
import {
  platformAdminPassword,
  readinessOf,
  startDatabaseRestartPlatform,
  type DatabaseRestartPlatform,
  type PlatformModule,
} from './support/database-restart-platform.js';
import { adminApi, requestToken, tokenFor } from './support/proxy-replicas.js';

/** The outage the issue reported (API-key ingest got 503 once PostgreSQL was down for more than 10 s). */
const outageMs = 15_000;
const eventsPerBatch = 50;
const allModules: PlatformModule[] = [
  'permission-proxy',
  'input-gateway',
  'integration-engine',
  'output-gateway',
  'admin-panel',
  'cron',
];
/** Modules whose /ready depends on PostgreSQL; the input gateway's does not (it publishes, no more). */
const databaseModules = allModules.filter((module) => module !== 'input-gateway');

function commitBatch(batch: number) {
  const events = Array.from({ length: eventsPerBatch }, (_, index) => ({
    id: `outage-b${batch}-e${index}`,
    type: 'commit',
    action: 'pushed',
    repository: { host: 'github.com', owner: 'acme', name: `outage-${batch % 3}` },
    occurredAt: `2026-03-${String(1 + ((batch + index) % 28)).padStart(2, '0')}T12:00:00Z`,
    data: {
      sha: randomUUID().replaceAll('-', '').padEnd(40, '0'),
      author: { email: `dev${index}@example.org` },
    },
  }));
  return { source: 'outage-test', events };
}

describe('PostgreSQL restarted under the running platform (every module its own process, a PostgreSQL of the test’s own)', () => {
  let platform: DatabaseRestartPlatform;
  let proxy: string;
  let database: Database;
  let ingestKey: { id: string; key: string };
  let unseenKey: { id: string; key: string };
  let readerKey: { id: string; key: string };
  let adminToken: string;
  const pids = new Map<PlatformModule, number | undefined>();
  /** Batches the proxy answered 202 for: each must end up stored exactly once. */
  let acceptedBatches = 0;
  let nextBatch = 0;

  async function ingest(key: string): Promise<number> {
    const response = await fetch(`${proxy}/ingest/v1/events`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify(commitBatch(nextBatch++)),
    });
    await response.arrayBuffer();
    if (response.status === 202) acceptedBatches++;
    return response.status;
  }

  const processedBatches = async () =>
    (
      await database.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM processed_messages WHERE consumer = 'ingest.events'",
      )
    ).rows[0]!.n;

  /** A read of the output gateway through the proxy. */
  async function read(key: string): Promise<Response> {
    const response = await fetch(`${proxy}/api/v1/repositories`, { headers: { 'x-api-key': key } });
    await response.arrayBuffer();
    return response;
  }

  async function newKey(name: string, role = 'supplier') {
    const created = await adminApi<{ id: string; key: string }>(proxy, adminToken, 'POST', '/api-keys', {
      name,
      role,
    });
    assert.equal(created.status, 201);
    return created.body;
  }

  /** The same process as at the start, never exited (no supervisor restarts anything here). */
  function assertEveryModuleStillRunning(): void {
    for (const module of allModules) {
      const { child, output } = platform.modules[module].process;
      const last = output().trim().split('\n').slice(-3).join('\n');
      assert.equal(child.exitCode, null, `${module} exited (${child.exitCode}):\n${last}`);
      assert.equal(child.pid, pids.get(module), `${module} was never restarted`);
    }
  }

  /**
   * A burst from the supplier's script, and PostgreSQL stopped while the engine is in the middle of it: its
   * transactions open, their sessions ended under them. Answers the burst's statuses.
   */
  async function stopWhileTheEngineIsBusy(): Promise<Promise<number[]>> {
    assert.equal(await ingest(ingestKey.key), 202, 'the proxy has just checked the key');
    const started = await processedBatches();
    const burst = Promise.all(Array.from({ length: 40 }, () => ingest(ingestKey.key)));
    const processedAtStop = await waitFor(
      async () => {
        const processed = await processedBatches();
        return processed > started ? processed : undefined;
      },
      { intervalMs: 5, what: 'the engine busy with the burst' },
    );
    await platform.postgres.stop();
    assert.ok(processedAtStop < started + 41, 'PostgreSQL went while the engine was working');
    return burst;
  }

  before(async () => {
    platform = await startDatabaseRestartPlatform();
    proxy = platform.modules['permission-proxy'].url;
    for (const module of allModules) pids.set(module, platform.modules[module].process.child.pid);
    database = createDatabase({
      url: platform.postgres.url,
      logger: createLogger({ level: 'error', module: 'test', silent: true }),
      maxConnections: 2,
    });
    adminToken = await tokenFor(proxy, 'admin', platformAdminPassword);
    ingestKey = await newKey('the supplier script');
    unseenKey = await newKey('never used before the outage');
    readerKey = await newKey('a dashboard script', 'analyst');
    // The proxy checks the key once while PostgreSQL is there, as it would for any script already running.
    assert.equal(await ingest(ingestKey.key), 202);
    await waitFor(async () => (await processedBatches()) === 1, {
      timeoutMs: 30_000,
      what: 'the first batch stored',
    });
  });

  after(async () => {
    await database?.close();
    await platform?.stop();
  });

  test('while PostgreSQL is down for 15 s the proxy keeps accepting ingest with a key it already checked, and answers 503 with Retry-After for a key it has not seen and for a login', async () => {
    const burst = await stopWhileTheEngineIsBusy();
    const down = performance.now();
    const statuses: number[] = [];
    let unseen: Response | undefined;
    let login: Response | undefined;
    try {
      await waitFor(async () => (await readinessOf(platform.modules['permission-proxy'])) === 503, {
        what: 'the proxy to see PostgreSQL gone',
      });
      while (performance.now() - down < outageMs) {
        statuses.push(await ingest(ingestKey.key));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      unseen = await fetch(`${proxy}/ingest/v1/events`, {
        method: 'POST',
        headers: { 'x-api-key': unseenKey.key, 'content-type': 'application/json' },
        body: JSON.stringify(commitBatch(-1)),
      });
      login = await requestToken(proxy, 'admin', platformAdminPassword);
    } finally {
      await platform.postgres.start();
    }
    assert.deepEqual(
      (await burst).filter((status) => status !== 202),
      [],
      'the burst was accepted',
    );
    assert.ok(unseen && login);
    assert.ok(statuses.length > 20, `${statuses.length} requests during the outage`);
    assert.deepEqual(
      statuses.filter((status) => status !== 202),
      [],
      'every ingest with the known key was accepted by the input gateway',
    );
    assert.equal(unseen.status, 503, 'a key the proxy has never checked cannot be checked now');
    assert.ok(Number(unseen.headers.get('retry-after')) > 0);
    assert.equal(login.status, 503, 'a login needs the database');
    assert.ok(Number(login.headers.get('retry-after')) > 0);
  });

  test('PostgreSQL restarted again while the engine works: every module stays up, its /ready fails and reads get 503 meanwhile, and all recover by themselves', async () => {
    // Back, the proxy's notification listener reconnects and drops every cached credential (a change may
    // have gone unheard): the script's next request has its key checked anew, and cached again.
    assertEveryModuleStillRunning();
    const proxyOutput = platform.modules['permission-proxy'].process.output;
    await waitFor(() => (proxyOutput().match(/"message":"listening for changes"/g) ?? []).length >= 2, {
      timeoutMs: 30_000,
      what: 'the proxy listening for changes again',
    });
    assert.equal((await read(readerKey.key)).status, 200);
    const burst = await stopWhileTheEngineIsBusy();
    try {
      for (const module of databaseModules) {
        await waitFor(async () => (await readinessOf(platform.modules[module])) === 503, {
          what: `${module}’s /ready to fail while PostgreSQL is away`,
        });
      }
      assert.equal(
        await readinessOf(platform.modules['input-gateway']),
        200,
        'the input gateway does not need it',
      );
      for (let batch = 0; batch < 5; batch++) assert.equal(await ingest(ingestKey.key), 202);
      const reading = await read(readerKey.key);
      assert.equal(reading.status, 503, 'the output gateway cannot answer without its database: not a 500');
      assert.ok(Number(reading.headers.get('retry-after')) > 0);
    } finally {
      await platform.postgres.start();
    }
    for (const module of allModules) {
      await waitFor(async () => (await readinessOf(platform.modules[module])) === 200, {
        timeoutMs: 30_000,
        what: `${module}’s /ready to answer 200 again`,
      });
    }
    assertEveryModuleStillRunning();
    assert.deepEqual(
      (await burst).filter((status) => status !== 202),
      [],
      'the burst was accepted',
    );
  });

  test('the engine, never restarted, stores every event accepted during both outages exactly once, spending no attempt and dead-lettering nothing', async () => {
    await waitFor(async () => (await processedBatches()) === acceptedBatches, {
      timeoutMs: 45_000,
      intervalMs: 200,
      what: `all ${acceptedBatches} batches stored`,
    });
    const names = topologyNames(platform.prefix);
    await waitFor(async () => (await queueDepth(names.queue('ingest.events'))) === 0, {
      what: 'the queue drained',
    });
    const totals = await database.query<{ commits: number; rollup: number; owner: number; dead: number }>(
      `SELECT (SELECT count(*)::int FROM commits) AS commits,
              (SELECT sum(commits)::int FROM activity_daily) AS rollup,
              (SELECT sum(commits)::int FROM owner_activity) AS owner,
              (SELECT count(*)::int FROM dead_letters) AS dead`,
    );
    const events = acceptedBatches * eventsPerBatch;
    assert.deepEqual(totals.rows[0], { commits: events, rollup: events, owner: events, dead: 0 });
    assert.equal(await queueDepth(names.deadQueue('ingest.events')), 0);
    const engine = platform.modules['integration-engine'];
    assert.equal(engine.process.child.exitCode, null);
    assert.equal(engine.process.child.pid, pids.get('integration-engine'));
    const metrics = await (await fetch(`${engine.url}/metrics`)).text();
    const outcome = (name: string) =>
      Number(
        new RegExp(`engine_messages_total\\{queue="ingest.events",outcome="${name}"\\} (\\d+)`).exec(
          metrics,
        )?.[1] ?? 0,
      );
    assert.equal(outcome('retried'), 0, 'no attempt was spent on the database being away');
    assert.equal(outcome('dead-lettered'), 0);
  });

  test('once PostgreSQL is back, revoking the key used through the outage bites at the proxy', async () => {
    assert.equal((await adminApi(proxy, adminToken, 'DELETE', `/api-keys/${ingestKey.id}`)).status, 204);
    await waitFor(async () => (await ingest(ingestKey.key)) === 401, {
      timeoutMs: 5_000,
      what: 'the revoked key to be refused',
    });
  });
});
