import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createApiKey, createUser } from '@repopulse/core';
import {
  createTestDatabase,
  proxyHeadersFor,
  removeTestTopology,
  testAmqpUrl,
  testInternalSecret,
  testQueuePrefix,
  type TestDatabase,
} from '@repopulse/core/testing';
import { insertRepository } from '../../output-gateway/test/builders.js';
import type { ModuleProcess } from './engine-process.js';
import { startListeningModule, stopProcesses, type ListeningModule } from './support/platform-processes.js';

const adminPassword = 'proxy-door-admin-password';
const jwtSecret = 'proxy-door-test-jwt-secret-of-at-least-32-characters';
const retryDelaysMs = [500];
const forged = { 'x-user-id': 'user:1', 'x-user-name': 'admin', 'x-user-roles': 'admin' };

/** An address of this machine that is not loopback: what a neighbour on the network would connect to. */
function outsideAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('no door around the permission proxy (every module its own process)', () => {
  const prefix = testQueuePrefix();
  const processes: ModuleProcess[] = [];
  let testDatabase: TestDatabase;
  let modules: Record<'input' | 'output' | 'admin' | 'client' | 'proxy', ListeningModule>;
  let adminToken: string;
  let analystToken: string;
  let acmeKey: string;
  let uiDirectory: string;

  const viaProxy = (path: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
    fetch(`${modules.proxy.url}${path}`, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });

  before(async () => {
    testDatabase = await createTestDatabase();
    // The panels serve a UI shell for any path they own, as the built UIs do.
    uiDirectory = await mkdtemp(join(tmpdir(), 'proxy-door-ui-'));
    await writeFile(join(uiDirectory, 'index.html'), '<!doctype html><title>Repo Pulse</title>');
    const queues = {
      DATABASE_URL: testDatabase.url,
      AMQP_URL: testAmqpUrl,
      QUEUE_PREFIX: prefix,
      QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
    };
    const [input, output, admin, client] = await Promise.all([
      startListeningModule('input-gateway', queues),
      startListeningModule('output-gateway', { DATABASE_URL: testDatabase.url }),
      startListeningModule('admin-panel', { ...queues, ADMIN_UI_DIR: uiDirectory }),
      startListeningModule('client-panel', { CLIENT_UI_DIR: uiDirectory }),
    ]);
    processes.push(input.process, output.process, admin.process, client.process);
    const proxy = await startListeningModule('permission-proxy', {
      DATABASE_URL: testDatabase.url,
      INPUT_GATEWAY_URL: input.url,
      OUTPUT_GATEWAY_URL: output.url,
      ADMIN_PANEL_URL: admin.url,
      CLIENT_PANEL_URL: client.url,
      JWT_SECRET: jwtSecret,
      ADMIN_PASSWORD: adminPassword,
      ACL_CACHE_TTL_MS: '0',
    });
    processes.push(proxy.process);
    modules = { input, output, admin, client, proxy };

    const database = testDatabase.database;
    await insertRepository(database, { owner: 'acme', name: 'widgets' });
    await insertRepository(database, { owner: 'globex', name: 'secret' });
    await insertRepository(database, { host: 'gitlab.example.org', owner: 'globex', name: 'hidden' });
    await createUser(database, { username: 'ann', password: 'ann-password-1', roles: ['analyst'] });
    acmeKey = (
      await createApiKey(database, {
        name: 'acme only',
        role: 'analyst',
        scopes: { params: { owner: ['acme'] } },
      })
    ).key;
    adminToken = await logIn('admin', adminPassword);
    analystToken = await logIn('ann', 'ann-password-1');
  });

  after(async () => {
    await stopProcesses(processes);
    await removeTestTopology(prefix, retryDelaysMs);
    await testDatabase.drop();
    await rm(uiDirectory, { recursive: true, force: true });
  });

  /** Refused (4xx), or at most the UI shell a panel serves for a path it owns: never the data. */
  async function assertNoData(response: Response, path: string, data: RegExp): Promise<void> {
    const text = await response.text();
    assert.doesNotMatch(text, data, path);
    if (response.status === 200) {
      assert.match(
        response.headers.get('content-type') ?? '',
        /^text\/html/,
        `${path}: ${text.slice(0, 200)}`,
      );
      return;
    }
    assert.ok(
      response.status >= 400 && response.status < 500,
      `${path} answered ${response.status}: ${text}`,
    );
  }

  async function logIn(username: string, password: string): Promise<string> {
    const response = await viaProxy(
      '/auth/token',
      { 'content-type': 'application/json' },
      {
        method: 'POST',
        body: JSON.stringify({ username, password }),
      },
    );
    assert.equal(response.status, 200, `login of ${username}`);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  async function userCount(): Promise<number> {
    const { rows } = await testDatabase.database.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM users',
    );
    return rows[0]!.count;
  }

  test('a caller who reaches a module directly cannot name themselves admin: 401 problem+json, nothing changes', async () => {
    const before = await userCount();
    const createUserDirectly = await fetch(`${modules.admin.url}/api/users`, {
      method: 'POST',
      headers: { ...forged, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'mallory', password: 'mallory-password-1', roles: ['admin'] }),
    });
    assert.equal(createUserDirectly.status, 401);
    assert.match(createUserDirectly.headers.get('content-type') ?? '', /problem\+json/);
    assert.equal(await userCount(), before);

    for (const [module, path] of [
      ['admin', '/api/users'],
      ['admin', '/admin/'],
      ['output', '/v1/repositories'],
      ['input', '/v1/openapi.json'],
      ['client', '/'],
    ] as const) {
      const response = await fetch(`${modules[module].url}${path}`, { headers: forged });
      assert.equal(response.status, 401, `${module} ${path}`);
    }
  });

  test('a signature made with another secret, long ago, or for another path is refused', async () => {
    const path = '/api/users';
    const caller = { principal: 'user:1', name: 'admin', roles: ['admin' as const] };
    for (const headers of [
      proxyHeadersFor('GET', path, caller, { secret: 'not-the-internal-secret-but-32-characters-long' }),
      proxyHeadersFor('GET', path, caller, { now: Date.now() - 10 * 60_000 }),
      proxyHeadersFor('GET', '/api/audit', caller),
    ]) {
      assert.equal((await fetch(`${modules.admin.url}${path}`, { headers })).status, 401);
    }
    // The same, signed with the modules' secret as the proxy signs: accepted (so the refusals above mean something).
    const signed = proxyHeadersFor('GET', path, caller, { secret: testInternalSecret });
    assert.equal((await fetch(`${modules.admin.url}${path}`, { headers: signed })).status, 200);
  });

  test('through the proxy an admin does what the forged headers could not', async () => {
    const before = await userCount();
    const response = await viaProxy(
      '/admin/api/users',
      { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      {
        method: 'POST',
        body: JSON.stringify({ username: 'bob', password: 'bob-password-12', roles: ['analyst'] }),
      },
    );
    assert.equal(response.status, 201, await response.text());
    assert.equal(await userCount(), before + 1);
  });

  test('internal modules listen on loopback only; the proxy on every address', async (t) => {
    const address = outsideAddress();
    if (!address) {
      t.skip('this machine has no address besides loopback');
      return;
    }
    for (const module of ['input', 'output', 'admin', 'client'] as const) {
      const port = Number(new URL(modules[module].url).port);
      assert.equal(await connects('127.0.0.1', port), true, `${module} on loopback`);
      assert.equal(await connects(address, port), false, `${module} reachable on ${address}`);
    }
    assert.equal(await connects(address, Number(new URL(modules.proxy.url).port)), true, 'the proxy');
  });

  test('the modules’ /metrics and /ready are not reachable through the public routes', async () => {
    for (const path of [
      '/api/metrics',
      '/ingest/metrics',
      '/api/ready',
      '/ingest/ready',
      '/admin/api/../metrics',
    ]) {
      const response = await viaProxy(path, { authorization: `Bearer ${adminToken}` });
      await assertNoData(response, path, /process_cpu|http_request_duration|"checks"/);
    }
    // From inside, straight to the module, as Prometheus scrapes it.
    assert.equal((await fetch(`${modules.output.url}/metrics`)).status, 200);
  });

  test('no spelling of a path reaches an owner the plain spelling refuses (an acme-only key)', async () => {
    const key = { authorization: `Bearer ${acmeKey}` };
    assert.equal((await viaProxy('/api/v1/repositories/acme/widgets', key)).status, 200);
    assert.equal((await viaProxy('/api/v1/repositories/globex/secret', key)).status, 403);
    const variants = [
      '/api/v1/Repositories/globex/secret',
      '/api/V1/repositories/globex/secret',
      '/API/v1/repositories/globex/secret',
      '/api/v1//repositories/globex/secret',
      '/api//v1/repositories/globex/secret',
      '/api/v1/repositories//globex/secret',
      '/api/v1/repositories/GLOBEX/secret',
      '/api/v1/repositories/%67lobex/secret',
      '/api/v1/repositories/%47LOBEX/secret',
      '/api/v1/repositories/./globex/secret',
      '/api/v1/repositories/acme/../globex/secret',
      '/api/v1/repositories/acme%2f..%2fglobex/secret',
      '/api/v1/repositories/globex/secret/',
      '/api/v1/repositories/globex/secret?host=github.com',
      '/api/v1/repositories/globex/hidden?host=gitlab.example.org',
      '/api/v1/repositories/globex/secret/activity',
      '/api/v1/Repositories/globex/secret/activity',
      '/api/v1/repositories/globex/secret/metrics?names=stars',
      '/api/v1/repositories//globex/secret/metrics?names=stars',
      '/api/v1/organizations/globex',
      '/api/v1/Organizations/globex',
      '/api/v1/organizations/GloBex',
      '/api/v1//organizations/globex',
      '/api/v1/organizations/globex?host=gitlab.example.org',
      '/api/v1/compare?repos=acme/widgets,globex/secret',
      '/api/v1/compare?repos=acme/widgets,GLOBEX/secret',
      '/api/v1/compare?repos=acme/widgets&repos=globex/secret',
      '/api/v1/compare?repos=acme/widgets%2Cglobex/secret',
      '/api/v1/Compare?repos=acme/widgets,globex/secret',
      '/api/v1/repositories?owner=globex',
      '/api/v1/repositories?owner=GLOBEX',
    ];
    for (const path of variants)
      await assertNoData(await viaProxy(path, key), path, /"owner"\s*:\s*"globex"/i);
  });

  test('a key or user whose name is not plain ASCII is forwarded like any other (the name travels encoded)', async () => {
    const named = await createApiKey(testDatabase.database, { name: 'Zoë’s dashboard ✓', role: 'admin' });
    const response = await viaProxy('/admin/api/audit', { authorization: `Bearer ${named.key}` });
    assert.equal(response.status, 200, await response.text());
    const created = await viaProxy(
      '/admin/api/users',
      { authorization: `Bearer ${named.key}`, 'content-type': 'application/json' },
      {
        method: 'POST',
        body: JSON.stringify({ username: 'zoe', password: 'zoe-password-12', roles: ['analyst'] }),
      },
    );
    assert.equal(created.status, 201);
    const { rows } = await testDatabase.database.query<{ actor_name: string }>(
      `SELECT actor_name FROM audit_log WHERE action = 'user.create' AND details->>'username' = 'zoe'`,
    );
    assert.deepEqual(
      rows.map((row) => row.actor_name),
      ['Zoë’s dashboard ✓'],
    );
  });

  test('usage statistics answer admins only, however the path is spelled', async () => {
    const spellings = [
      '/auth/usage',
      '/auth/usage/',
      '/auth/Usage',
      '/AUTH/usage',
      '/auth//usage',
      '/auth/./usage',
      '/auth/%75sage',
    ];
    for (const path of spellings) {
      const callers: Array<Record<string, string>> = [
        {},
        { authorization: `Bearer ${analystToken}` },
        { authorization: `Bearer ${acmeKey}` },
      ];
      for (const headers of callers) {
        await assertNoData(await viaProxy(path, headers), path, /"usage"\s*:/);
      }
    }
    const admin = await viaProxy('/auth/usage', { authorization: `Bearer ${adminToken}` });
    assert.equal(admin.status, 200);
    assert.ok(Array.isArray(((await admin.json()) as { usage: unknown[] }).usage));
  });
});
