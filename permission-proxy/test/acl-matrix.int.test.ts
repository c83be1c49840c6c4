import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey, createUser, revokeApiKey } from '@repopulse/core';
import jwt from 'jsonwebtoken';
import {
  adminPassword,
  jwtSecret,
  logIn,
  startProxyUnderTest,
  type ProxyUnderTest,
} from './proxy-under-test.js';

type Allowed = 'anyone' | 'authenticated' | 'nobody' | Array<'admin' | 'analyst' | 'supplier'>;

interface RouteCase {
  method: string;
  path: string;
  /** Who may, written out here by hand from docs/DESIGN.md's URL space (not computed by the code tested). */
  allowed: Allowed;
  /** Where an allowed request must arrive, and as what path; undefined for the proxy's own routes. */
  upstream?: [service: string, path: string];
  body?: string;
}

const routes: RouteCase[] = [
  {
    method: 'POST',
    path: '/auth/token',
    allowed: 'anyone',
    body: JSON.stringify({ username: 'admin', password: adminPassword }),
  },
  { method: 'GET', path: '/auth/me', allowed: 'authenticated' },
  { method: 'GET', path: '/auth/usage', allowed: ['admin'] },
  {
    method: 'POST',
    path: '/ingest/v1/webhooks/github',
    allowed: 'anyone',
    upstream: ['input-gateway', '/v1/webhooks/github'],
    body: '{}',
  },
  {
    method: 'POST',
    path: '/ingest/v1/events',
    allowed: ['supplier', 'admin'],
    upstream: ['input-gateway', '/v1/events'],
    body: '{}',
  },
  {
    method: 'POST',
    path: '/ingest/v1/crawl-requests',
    allowed: ['supplier', 'admin'],
    upstream: ['input-gateway', '/v1/crawl-requests'],
    body: '{}',
  },
  {
    method: 'GET',
    path: '/ingest/v1/openapi.json',
    allowed: ['supplier', 'admin'],
    upstream: ['input-gateway', '/v1/openapi.json'],
  },
  {
    method: 'GET',
    path: '/api/v1/repositories/acme/rockets/activity?interval=week',
    allowed: ['analyst', 'admin'],
    upstream: ['output-gateway', '/v1/repositories/acme/rockets/activity?interval=week'],
  },
  {
    method: 'GET',
    path: '/api/v1/openapi.json',
    allowed: ['analyst', 'admin'],
    upstream: ['output-gateway', '/v1/openapi.json'],
  },
  { method: 'POST', path: '/api/v1/repositories', allowed: 'nobody', body: '{}' },
  { method: 'GET', path: '/admin/api/users', allowed: ['admin'], upstream: ['admin-panel', '/api/users'] },
  {
    method: 'POST',
    path: '/admin/api/sources',
    allowed: ['admin'],
    upstream: ['admin-panel', '/api/sources'],
    body: '{}',
  },
  {
    method: 'DELETE',
    path: '/admin/api/api-keys/7',
    allowed: ['admin'],
    upstream: ['admin-panel', '/api/api-keys/7'],
  },
  { method: 'GET', path: '/admin/', allowed: 'anyone', upstream: ['admin-panel', '/admin/'] },
  {
    method: 'GET',
    path: '/admin/assets/app.js',
    allowed: 'anyone',
    upstream: ['admin-panel', '/admin/assets/app.js'],
  },
  { method: 'POST', path: '/admin/', allowed: 'nobody', body: '{}' },
  { method: 'GET', path: '/', allowed: 'anyone', upstream: ['client-panel', '/'] },
  {
    method: 'GET',
    path: '/dashboards/trends?window=30d',
    allowed: 'anyone',
    upstream: ['client-panel', '/dashboards/trends?window=30d'],
  },
  { method: 'PUT', path: '/dashboards/trends', allowed: 'nobody', body: '{}' },
];

interface Caller {
  name: string;
  headers: () => Record<string, string>;
  /** The role of a valid identity, 'none' for no credentials, 'bad' for credentials that must be refused. */
  kind: 'admin' | 'analyst' | 'supplier' | 'none' | 'bad';
  userId?: () => string;
}

function expectedStatus(route: RouteCase, caller: Caller): number {
  if (caller.kind === 'bad') return 401;
  if (route.allowed === 'anyone') return 200;
  if (caller.kind === 'none') return 401;
  if (route.allowed === 'authenticated') return 200;
  if (route.allowed === 'nobody') return 403;
  return route.allowed.includes(caller.kind) ? 200 : 403;
}

describe('the ACL, every route × every kind of caller (real proxy, PostgreSQL and upstream servers)', () => {
  let proxy: ProxyUnderTest;
  const credentials: Record<string, string> = {};
  const ids: Record<string, string> = {};

  before(async () => {
    proxy = await startProxyUnderTest();
    const database = proxy.testDatabase.database;
    for (const role of ['analyst', 'supplier'] as const) {
      const user = await createUser(database, {
        username: `${role}-user`,
        password: `${role}-password-1`,
        roles: [role],
      });
      ids[`${role}-user`] = user.id;
      credentials[`${role}-jwt`] = await logIn(proxy.base, `${role}-user`, `${role}-password-1`);
    }
    credentials['admin-jwt'] = await logIn(proxy.base, 'admin', adminPassword);
    for (const role of ['admin', 'analyst', 'supplier'] as const) {
      const key = await createApiKey(database, { name: `${role} script`, role });
      ids[`${role}-key`] = key.id;
      credentials[`${role}-key`] = key.key;
    }
    const revoked = await createApiKey(database, { name: 'revoked', role: 'admin' });
    await revokeApiKey(database, revoked.id);
    credentials['revoked-key'] = revoked.key;
    const claims = { sub: ids['analyst-user'], iss: 'repopulse', aud: 'repopulse' };
    credentials['expired-jwt'] = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, jwtSecret, {
      algorithm: 'HS256',
    });
    credentials['foreign-jwt'] = jwt.sign(claims, 'another-secret-that-is-at-least-32-characters-long', {
      algorithm: 'HS256',
      expiresIn: 600,
    });
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    credentials['alg-none-jwt'] =
      `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...claims, role: 'admin', exp: Math.floor(Date.now() / 1000) + 600 })}.`;
  });

  after(async () => {
    await proxy.stop();
  });

  const bearer = (name: string) => () => ({ authorization: `Bearer ${credentials[name]}` });
  const callers: Caller[] = [
    { name: 'no credentials', kind: 'none', headers: () => ({}) },
    {
      name: 'spoofed X-User-Roles: admin, no credentials',
      kind: 'none',
      headers: () => ({ 'x-user-roles': 'admin', 'x-user-id': 'user:1' }),
    },
    { name: 'admin JWT', kind: 'admin', headers: bearer('admin-jwt') },
    { name: 'analyst JWT', kind: 'analyst', headers: bearer('analyst-jwt') },
    { name: 'supplier JWT', kind: 'supplier', headers: bearer('supplier-jwt') },
    {
      name: 'analyst JWT with a spoofed X-User-Roles: admin',
      kind: 'analyst',
      headers: () => ({ ...bearer('analyst-jwt')(), 'x-user-roles': 'admin' }),
    },
    { name: 'admin API key as Bearer', kind: 'admin', headers: bearer('admin-key') },
    {
      name: 'analyst API key as X-API-Key',
      kind: 'analyst',
      headers: () => ({ 'x-api-key': credentials['analyst-key']! }),
    },
    { name: 'supplier API key as Bearer', kind: 'supplier', headers: bearer('supplier-key') },
    { name: 'expired JWT', kind: 'bad', headers: bearer('expired-jwt') },
    { name: 'JWT signed with another key', kind: 'bad', headers: bearer('foreign-jwt') },
    { name: 'JWT with alg none', kind: 'bad', headers: bearer('alg-none-jwt') },
    { name: 'revoked API key', kind: 'bad', headers: bearer('revoked-key') },
  ];

  for (const caller of callers) {
    test(`answers ${caller.name} on every route as the ACL says`, async () => {
      const mismatches: string[] = [];
      for (const route of routes) {
        const seenBefore = proxy.seen.length;
        const response = await fetch(`${proxy.base}${route.path}`, {
          method: route.method,
          headers: { ...(route.body ? { 'content-type': 'application/json' } : {}), ...caller.headers() },
          body: route.body,
        });
        const text = await response.text();
        const expected = expectedStatus(route, caller);
        if (response.status !== expected) {
          mismatches.push(
            `${route.method} ${route.path}: ${response.status}, expected ${expected} (${text.slice(0, 160)})`,
          );
          continue;
        }
        if (expected >= 400) {
          assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
          assert.equal(
            proxy.seen.length,
            seenBefore,
            `${route.path}: a denied request must not reach an upstream`,
          );
          continue;
        }
        if (!route.upstream) continue;
        const arrived = proxy.seen.at(-1)!;
        assert.deepEqual(
          [arrived.service, arrived.path],
          route.upstream,
          `${route.method} ${route.path} went to the wrong place`,
        );
        assert.ok(arrived.headers['x-request-id'], 'a request id is always forwarded');
        assert.equal(arrived.headers.authorization, undefined, 'credentials stay at the proxy');
        assert.equal(arrived.headers['x-api-key'], undefined, 'credentials stay at the proxy');
        if (caller.kind === 'none') {
          assert.equal(
            arrived.headers['x-user-roles'],
            undefined,
            'spoofed identity headers never reach an upstream',
          );
          assert.equal(arrived.headers['x-user-id'], undefined);
        } else {
          assert.equal(
            arrived.headers['x-user-roles'],
            caller.kind,
            'the upstream sees the roles the proxy established',
          );
        }
      }
      assert.deepEqual(mismatches, []);
    });
  }

  test('resolves dot segments before checking, so /api/../admin/api is the admin API', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = request(
        {
          host: '127.0.0.1',
          port: proxy.port,
          path: '/api/%2e%2e/admin/api/users',
          headers: bearer('analyst-jwt')(),
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
    assert.equal(status, 403);
  });
});
