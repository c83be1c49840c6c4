import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey, createUser } from '@repopulse/core';
import { waitFor } from '@repopulse/core/testing';
import { adminPassword, logIn, startProxyUnderTest, type ProxyUnderTest } from './proxy-under-test.js';

describe('rate limits, scopes, usage and audit (real proxy and PostgreSQL)', () => {
  let proxy: ProxyUnderTest;
  let adminToken: string;
  let analystToken: string;
  let analystId: string;

  before(async () => {
    proxy = await startProxyUnderTest();
    const analyst = await createUser(proxy.testDatabase.database, {
      username: 'ann',
      password: 'ann-password-1',
      roles: ['analyst'],
    });
    analystId = analyst.id;
    adminToken = await logIn(proxy.base, 'admin', adminPassword);
    analystToken = await logIn(proxy.base, 'ann', 'ann-password-1');
  });
  after(async () => {
    await proxy.stop();
  });

  const get = (path: string, headers: Record<string, string>) => fetch(`${proxy.base}${path}`, { headers });

  test('limits each caller per rule: a burst at once, then 429 with Retry-After and RateLimit headers', async () => {
    await proxy.testDatabase.database.query(
      "UPDATE acl_rules SET rate_limit_per_minute = 6, rate_limit_burst = 3 WHERE path_pattern = '/api/*'",
    );
    const script = await createApiKey(proxy.testDatabase.database, { name: 'busy script', role: 'analyst' });
    const analyst = { authorization: `Bearer ${script.key}` };
    const answers = [];
    for (let index = 0; index < 4; index++) answers.push(await get('/api/v1/openapi.json', analyst));
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200, 200, 429],
    );
    assert.deepEqual(
      answers.map((answer) => answer.headers.get('ratelimit-remaining')),
      ['2', '1', '0', '0'],
    );
    assert.equal(answers[0]!.headers.get('ratelimit-limit'), '3');
    assert.equal(answers[0]!.headers.get('ratelimit-policy'), '3;w=30', 'three in 30 s: six a minute');
    const reset = Number(answers[0]!.headers.get('ratelimit-reset'));
    assert.ok(reset >= 1 && reset <= 30, String(reset));
    const refused = answers[3]!;
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.match(refused.headers.get('content-type') ?? '', /problem\+json/);
    const problem = (await refused.json()) as { status: number; type: string };
    assert.equal(problem.status, 429);
    // Another caller has a bucket of its own.
    assert.equal((await get('/api/v1/openapi.json', { authorization: `Bearer ${adminToken}` })).status, 200);
    await proxy.testDatabase.database.query(
      "UPDATE acl_rules SET rate_limit_per_minute = 1200, rate_limit_burst = 200 WHERE path_pattern = '/api/*'",
    );
  });

  test('an admin’s change to the ACL takes effect without a restart', async () => {
    const analyst = { authorization: `Bearer ${analystToken}` };
    assert.equal((await get('/api/v1/openapi.json', analyst)).status, 200);
    await proxy.testDatabase.database.query(
      "UPDATE acl_rules SET roles = '{admin}' WHERE path_pattern = '/api/*'",
    );
    await waitFor(async () => (await get('/api/v1/openapi.json', analyst)).status === 403, {
      what: 'the new rule',
    });
    await proxy.testDatabase.database.query(
      "UPDATE acl_rules SET roles = '{analyst,admin}' WHERE path_pattern = '/api/*'",
    );
    await waitFor(async () => (await get('/api/v1/openapi.json', analyst)).status === 200, {
      what: 'the rule restored',
    });
  });

  // The proxy refuses what a request names outside the scopes and tells the upstream the rest; what the
  // output gateway then leaves out (lists without owner=, default pages, CSV, trends) is tested with the
  // real gateway behind the real proxy in e2e/test/scoped-reads.int.test.ts.
  test('a key scoped to some owners is refused others, has limit capped, and the upstream is told the scopes', async () => {
    const key = await createApiKey(proxy.testDatabase.database, {
      name: 'acme dashboard',
      role: 'analyst',
      scopes: { params: { owner: ['acme', 'globex'] }, maxLimit: 25 },
    });
    const headers = { 'x-api-key': key.key };
    const allowed = await get('/api/v1/repositories/acme/rockets/activity?interval=week', headers);
    assert.equal(allowed.status, 200);
    const arrived = proxy.seen.at(-1)!;
    assert.equal(arrived.headers['x-scope-param-owner'], 'acme,globex');
    assert.equal(arrived.headers['x-scope-max-limit'], '25');
    assert.equal((await get('/api/v1/repositories/initech/x/activity', headers)).status, 403);
    assert.equal((await get('/api/v1/repositories?owner=initech', headers)).status, 403);
    assert.equal((await get('/api/v1/compare?repos=acme/a,initech/b', headers)).status, 403);
    assert.equal((await get('/api/v1/repositories?owner=globex&limit=1000', headers)).status, 200);
    assert.equal(proxy.seen.at(-1)!.path, '/v1/repositories?owner=globex&limit=25');
    // A client cannot widen its own scopes with headers.
    await get('/api/v1/repositories?owner=acme', { ...headers, 'x-scope-param-owner': 'acme,initech' });
    assert.equal(proxy.seen.at(-1)!.headers['x-scope-param-owner'], 'acme,globex');
    // What the request leaves out passes unchanged, with the scopes, for the gateway to narrow.
    assert.equal((await get('/api/v1/repositories?format=csv', headers)).status, 200);
    const unnamed = proxy.seen.at(-1)!;
    assert.equal(unnamed.path, '/v1/repositories?format=csv');
    assert.equal(unnamed.headers['x-scope-max-limit'], '25');
  });

  test('a user’s scopes travel to the upstream as a key’s do, and an unscoped caller’s none', async () => {
    await createUser(proxy.testDatabase.database, {
      username: 'scoped-sam',
      password: 'scoped-sam-password-1',
      roles: ['analyst'],
      scopes: { params: { owner: ['Acme'], host: ['gitlab.example.org'] } },
    });
    const sam = { authorization: `Bearer ${await logIn(proxy.base, 'scoped-sam', 'scoped-sam-password-1')}` };
    assert.equal((await get('/api/v1/trends', sam)).status, 200);
    const arrived = proxy.seen.at(-1)!;
    assert.equal(arrived.headers['x-scope-param-owner'], 'Acme');
    assert.equal(arrived.headers['x-scope-param-host'], 'gitlab.example.org');
    assert.equal(arrived.headers['x-scope-max-limit'], undefined);
    assert.equal((await get('/api/v1/repositories?host=github.com', sam)).status, 403);
    await get('/api/v1/trends', { authorization: `Bearer ${analystToken}` });
    const unscoped = proxy.seen.at(-1)!.headers;
    assert.deepEqual(
      Object.keys(unscoped).filter((name) => name.startsWith('x-scope-')),
      [],
    );
  });

  test('counts requests, denials and bytes per caller, route and day, readable by admins only', async () => {
    const analyst = { authorization: `Bearer ${analystToken}` };
    await get('/api/v1/openapi.json', analyst);
    await get('/admin/api/users', analyst); // denied
    await proxy.proxy.stop(); // writes what was counted (stop is safe to call again at the end)
    const answer = await get(`/auth/usage?principal=user:${analystId}`, {
      authorization: `Bearer ${adminToken}`,
    });
    assert.equal(answer.status, 200);
    const { usage } = (await answer.json()) as {
      usage: Array<{ route: string; requests: number; denials: number; bytesOut: number }>;
    };
    const api = usage.find((row) => row.route === '/api/*');
    const admin = usage.find((row) => row.route === '/admin/api/*');
    assert.ok(api && api.requests >= 1 && api.bytesOut > 0, JSON.stringify(usage));
    assert.ok(admin && admin.denials >= 1, JSON.stringify(usage));
    assert.equal((await get('/auth/usage', analyst)).status, 403);
  });

  test('writes an audit row for each login and each denied request', async () => {
    await fetch(`${proxy.base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ann', password: 'wrong-password' }),
    });
    await get('/admin/api/users', { authorization: `Bearer ${analystToken}` });
    await get('/admin/api/users', { authorization: 'Bearer not-a-token' });
    await proxy.proxy.stop();
    const { rows } = await proxy.testDatabase.database.query<{
      action: string;
      outcome: string;
      actor_name: string | null;
      target: string | null;
    }>('SELECT action, outcome, actor_name, target FROM audit_log ORDER BY id');
    assert.ok(
      rows.some((row) => row.action === 'login' && row.outcome === 'success' && row.actor_name === 'ann'),
    );
    assert.ok(rows.some((row) => row.action === 'login' && row.outcome === 'failure'));
    assert.ok(
      rows.some(
        (row) =>
          row.action === 'request.denied' &&
          row.actor_name === 'ann' &&
          row.target === 'GET /admin/api/users',
      ),
    );
    assert.ok(
      rows.some(
        (row) =>
          row.action === 'request.denied' && row.actor_name === null && row.target === 'GET /admin/api/users',
      ),
    );
    assert.ok(rows.some((row) => row.action === 'request.rate-limited'));
  });

  test('folds one caller’s repeated denials into one audit row per window, naming how many and a few paths', async () => {
    const repeated = await startProxyUnderTest({ AUDIT_DENIAL_WINDOW_MS: '60000' });
    try {
      await createUser(repeated.testDatabase.database, {
        username: 'eve',
        password: 'eve-password-12',
        roles: ['analyst'],
      });
      const eve = await logIn(repeated.base, 'eve', 'eve-password-12');
      for (let index = 0; index < 80; index++) {
        const response = await fetch(`${repeated.base}/admin/api/users/${index % 7}`, {
          headers: { authorization: `Bearer ${eve}` },
        });
        assert.equal(response.status, 403);
        await response.arrayBuffer();
      }
      // Another caller's denial is a row of its own.
      await fetch(`${repeated.base}/admin/api/users`, { headers: { authorization: 'Bearer not-a-token' } });
      await repeated.proxy.stop();
      const { rows } = await repeated.testDatabase.database.query<{
        actor_name: string | null;
        details: { count?: number; targets?: string[]; status: number };
      }>(`SELECT actor_name, details FROM audit_log WHERE action = 'request.denied' ORDER BY id`);
      const eves = rows.filter((row) => row.actor_name === 'eve');
      assert.equal(eves.length, 1, 'one row for 80 denials');
      assert.equal(eves[0]!.details.count, 80);
      assert.equal(eves[0]!.details.status, 403);
      assert.ok((eves[0]!.details.targets?.length ?? 0) > 1 && eves[0]!.details.targets!.length <= 5);
      assert.equal(rows.filter((row) => row.actor_name === null).length, 1);
    } finally {
      await repeated.stop();
    }
  });

  test('serves its own /health and /ready, and /metrics to addresses inside the network', async () => {
    assert.equal((await fetch(`${proxy.base}/health`)).status, 200);
    assert.equal((await fetch(`${proxy.base}/ready`)).status, 200);
    const metrics = await fetch(`${proxy.base}/metrics`);
    assert.equal(metrics.status, 200, 'the test connects from 127.0.0.1');
    assert.match(await metrics.text(), /http_request_duration_seconds/);
  });
});
