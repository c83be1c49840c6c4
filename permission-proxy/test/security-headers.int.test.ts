import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createUser } from '@repopulse/core';
import { parseContentSecurityPolicy } from '@repopulse/core/testing';
import { adminPassword, logIn, startProxyUnderTest, type ProxyUnderTest } from './proxy-under-test.js';

const strictPolicy = { 'default-src': "'none'", 'frame-ancestors': "'none'" };
const panelPolicy = "default-src 'self'; script-src 'self'; frame-ancestors 'none'";

/** A stand-in for a panel: a page with a policy of its own, as the panels send theirs. */
async function startPanelUpstream(): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': panelPolicy,
    });
    response.end('<!doctype html><title>panel</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function assertSecurityHeaders(response: Response, what: string): void {
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(response.headers.get('referrer-policy'), 'no-referrer', what);
  assert.equal(response.headers.get('x-frame-options'), 'DENY', what);
}

describe('security headers on what the proxy answers and forwards (real proxy and PostgreSQL)', () => {
  let panel: Server;
  let proxy: ProxyUnderTest;
  let analystToken: string;
  let adminToken: string;

  before(async () => {
    panel = await startPanelUpstream();
    proxy = await startProxyUnderTest({
      CLIENT_PANEL_URL: `http://127.0.0.1:${(panel.address() as AddressInfo).port}`,
      // Nothing listens on port 1: the input gateway is down.
      INPUT_GATEWAY_URL: 'http://127.0.0.1:1',
      // The test speaks as the TLS-ending hop in front (Traefik), from loopback.
      TRUSTED_PROXIES: 'loopback',
    });
    await createUser(proxy.testDatabase.database, {
      username: 'ann',
      password: 'ann-password-1',
      roles: ['analyst'],
    });
    analystToken = await logIn(proxy.base, 'ann', 'ann-password-1');
    adminToken = await logIn(proxy.base, 'admin', adminPassword);
  });

  after(async () => {
    await proxy.stop();
    await new Promise((resolve) => panel.close(resolve));
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${proxy.base}${path}`, { headers });

  test('its own answers — tokens, refusals 401, 403, 429 and 502, /health — carry the strict policy', async () => {
    await proxy.testDatabase.database.query(
      "UPDATE acl_rules SET rate_limit_per_minute = 1, rate_limit_burst = 1 WHERE path_pattern = '/auth/me'",
    );
    const token = await fetch(`${proxy.base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: adminPassword }),
    });
    const badLogin = await fetch(`${proxy.base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'not the password' }),
    });
    const answers: Array<[string, number, Response]> = [
      ['token', 200, token],
      ['bad login', 401, badLogin],
      ['no credentials', 401, await get('/api/v1/repositories')],
      [
        'an analyst at the admin API',
        403,
        await get('/admin/api/users', { authorization: `Bearer ${analystToken}` }),
      ],
      ['first /auth/me', 200, await get('/auth/me', { authorization: `Bearer ${adminToken}` })],
      ['second /auth/me', 429, await get('/auth/me', { authorization: `Bearer ${adminToken}` })],
      [
        'the input gateway down',
        502,
        await get('/ingest/v1/events', { authorization: `Bearer ${adminToken}` }),
      ],
      ['/health', 200, await get('/health')],
    ];
    for (const [what, status, response] of answers) {
      assert.equal(response.status, status, what);
      assert.deepEqual(
        parseContentSecurityPolicy(response.headers.get('content-security-policy')),
        strictPolicy,
        what,
      );
      assertSecurityHeaders(response, what);
    }
  });

  test('a forwarded answer without a policy of its own gets the strict one', async () => {
    const response = await get('/api/v1/repositories', { authorization: `Bearer ${analystToken}` });
    assert.equal(response.status, 200);
    assert.deepEqual(
      parseContentSecurityPolicy(response.headers.get('content-security-policy')),
      strictPolicy,
    );
    assertSecurityHeaders(response, 'forwarded JSON');
  });

  test('a panel’s page reaches the browser with the panel’s own policy, not the strict one', async () => {
    const response = await get('/repositories/acme/rockets');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-security-policy'), panelPolicy);
    assertSecurityHeaders(response, 'forwarded page');
  });

  test('adds HSTS, to its own answers and forwarded ones, when a trusted proxy says the request came over TLS', async () => {
    for (const path of ['/health', '/repositories/acme/rockets']) {
      const overTls = await get(path, { 'x-forwarded-proto': 'https' });
      assert.equal(
        overTls.headers.get('strict-transport-security'),
        'max-age=31536000; includeSubDomains',
        path,
      );
      const plain = await get(path);
      assert.equal(plain.headers.get('strict-transport-security'), null, path);
    }
  });
});

describe('HSTS and a forwarded protocol from an untrusted hop (real proxy and PostgreSQL)', () => {
  let proxy: ProxyUnderTest;

  before(async () => {
    proxy = await startProxyUnderTest({ TRUSTED_PROXIES: '10.9.8.7' });
  });

  after(async () => {
    await proxy.stop();
  });

  test('believes no X-Forwarded-Proto from an address outside TRUSTED_PROXIES', async () => {
    const response = await fetch(`${proxy.base}/health`, { headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('strict-transport-security'), null);
  });
});
