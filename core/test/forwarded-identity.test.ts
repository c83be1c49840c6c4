import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import {
  createRouter,
  createServiceApp,
  identitySignatureHeader,
  signForwardedRequest,
  startHttpServer,
  verifyForwardedRequest,
} from '../src/index.js';
import { proxyHeadersFor, testInternalSecret, testLogger } from '../src/testing/index.js';

const secret = testInternalSecret;
const otherSecret = 'another-secret-that-is-also-at-least-32-characters';
const now = 1_800_000_000_000;

const headers = {
  'x-request-id': 'req-1',
  'x-client-address': '203.0.113.9',
  'x-user-id': 'user:12',
  'x-user-name': 'ann',
  'x-user-roles': 'analyst',
  'x-scope-param-owner': 'acme,globex',
  'x-scope-max-limit': '50',
};

function signed(overrides: { path?: string; method?: string; at?: number; key?: string } = {}) {
  return {
    ...headers,
    [identitySignatureHeader]: signForwardedRequest({
      secret: overrides.key ?? secret,
      method: overrides.method ?? 'GET',
      path: overrides.path ?? '/v1/repositories?owner=acme',
      headers,
      now: overrides.at ?? now,
    }),
  };
}

function check(received: Record<string, string>, path = '/v1/repositories?owner=acme', method = 'GET') {
  return verifyForwardedRequest({ secrets: [secret], method, path, headers: received, now });
}

describe('the permission proxy’s signature over the identity it forwards', () => {
  test('vouches for the caller, roles and scopes it was made over', () => {
    const result = check(signed());
    assert.equal(result.valid, true);
    assert.deepEqual(result.valid && result.identity, {
      requestId: 'req-1',
      address: '203.0.113.9',
      principal: 'user:12',
      kind: 'user',
      id: '12',
      name: 'ann',
      roles: ['analyst'],
      scopes: { params: { owner: ['acme', 'globex'] }, maxLimit: 50 },
    });
  });

  test('is refused when any identity or scope header was changed after signing', () => {
    for (const [name, value] of [
      ['x-user-roles', 'analyst,admin'],
      ['x-user-id', 'user:1'],
      ['x-user-name', 'admin'],
      ['x-scope-param-owner', 'acme,globex,initech'],
      ['x-scope-max-limit', '5000'],
      ['x-request-id', 'req-2'],
      ['x-client-address', '198.51.100.1'],
    ] as const) {
      const result = check({ ...signed(), [name]: value });
      assert.equal(result.valid, false, `${name} changed`);
    }
    const withoutScope: Record<string, string> = { ...signed() };
    delete withoutScope['x-scope-param-owner'];
    assert.equal(check(withoutScope).valid, false, 'a scope dropped widens the caller');
    assert.equal(check({ ...signed(), 'x-scope-param-language': 'Go' }).valid, false, 'a scope added');
  });

  test('is bound to the method and the path with its query', () => {
    assert.equal(check(signed(), '/v1/repositories?owner=globex').valid, false);
    assert.equal(check(signed(), '/v1/organizations/acme').valid, false);
    assert.equal(check(signed(), '/v1/repositories?owner=acme', 'DELETE').valid, false);
  });

  test('is refused when stale or from too far ahead, accepted within the allowed age', () => {
    assert.equal(check(signed({ at: now - 59_000 })).valid, true);
    assert.deepEqual(check(signed({ at: now - 61_000 })), {
      valid: false,
      reason: 'the identity signature is stale',
    });
    assert.equal(check(signed({ at: now + 61_000 })).valid, false);
  });

  test('is refused when made with another secret, accepted with any secret of a rotation', () => {
    assert.equal(check(signed({ key: otherSecret })).valid, false);
    const rotating = verifyForwardedRequest({
      secrets: [otherSecret, secret],
      method: 'GET',
      path: '/v1/repositories?owner=acme',
      headers: signed(),
      now,
    });
    assert.equal(rotating.valid, true);
  });

  test('is refused when missing or malformed', () => {
    assert.equal(check({ ...headers }).valid, false);
    for (const value of ['t=1,v1=00', `v1=${'0'.repeat(64)}`, `t=${now},v1=${'z'.repeat(64)}`, 'nonsense'])
      assert.equal(check({ ...headers, [identitySignatureHeader]: value }).valid, false, value);
  });
});

describe('modules with routes answer only what the permission proxy signed', async () => {
  const app = createServiceApp({
    logger: testLogger(),
    registry: new Registry(),
    checks: {},
    forwardedIdentity: { secrets: [secret] },
    routes(app) {
      const router = createRouter();
      router.get('/whoami', (request, response) => {
        response.json(request.forwardedIdentity);
      });
      app.use('/v1', router);
    },
  });
  const server = await startHttpServer(app, 0, '127.0.0.1');
  after(() => server.close());
  const base = `http://127.0.0.1:${server.port}`;
  const caller = { principal: 'user:7', name: 'root', roles: ['admin' as const] };

  test('a signed request reaches the route, which reads the caller from the signature', async () => {
    const response = await fetch(`${base}/v1/whoami`, {
      headers: proxyHeadersFor('GET', '/v1/whoami', caller),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(((await response.json()) as { roles: string[] }).roles, ['admin']);
  });

  test('forged identity headers without the signature get 401 problem+json', async () => {
    const response = await fetch(`${base}/v1/whoami`, {
      headers: { 'x-user-id': 'user:1', 'x-user-roles': 'admin', 'x-user-name': 'admin' },
    });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  });

  test('a signature made for another path, or with another secret, or long ago, gets 401', async () => {
    const cases = [
      proxyHeadersFor('GET', '/v1/other', caller),
      proxyHeadersFor('GET', '/v1/whoami', caller, { secret: otherSecret }),
      proxyHeadersFor('GET', '/v1/whoami', caller, { now: Date.now() - 5 * 60_000 }),
    ];
    for (const sent of cases) {
      const response = await fetch(`${base}/v1/whoami`, { headers: sent });
      assert.equal(response.status, 401);
    }
  });

  test('routes match one spelling only: case and trailing slash matter', async () => {
    for (const path of ['/v1/WhoAmI', '/V1/whoami', '/v1/whoami/']) {
      const response = await fetch(`${base}${path}`, { headers: proxyHeadersFor('GET', path, caller) });
      assert.equal(response.status, 404, path);
    }
  });

  test('/ready and /metrics answer direct internal callers, never a request the proxy forwarded', async () => {
    assert.equal((await fetch(`${base}/metrics`)).status, 200);
    assert.equal((await fetch(`${base}/ready`)).status, 200);
    for (const path of ['/metrics', '/ready']) {
      const proxied = await fetch(`${base}${path}`, { headers: proxyHeadersFor('GET', path) });
      assert.equal(proxied.status, 404, path);
    }
    assert.equal((await fetch(`${base}/health`, { headers: proxyHeadersFor('GET', '/health') })).status, 200);
  });
});
