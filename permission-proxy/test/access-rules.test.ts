import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ForbiddenError, type Identity } from '@repopulse/core';
import { decideAccess, matchRule, patternMatches, type AclRule } from '../src/access-control/acl-rules.js';
import { applyScopes } from '../src/access-control/scopes.js';
import { routeTargetFor } from '../src/access-control/upstream-routes.js';

function rule(priority: number, methods: string[], pathPattern: string, roles: string[]): AclRule {
  return {
    id: String(priority),
    priority,
    methods,
    pathPattern,
    roles,
    rateLimitPerMinute: null,
    rateLimitBurst: null,
    description: '',
  };
}

const analyst: Identity = { kind: 'user', id: '2', name: 'ann', roles: ['analyst'], scopes: {} };

describe('ACL rules', () => {
  test('a pattern ending in /* matches that path and everything below it, and nothing beside it', () => {
    assert.ok(patternMatches('/api/*', '/api'));
    assert.ok(patternMatches('/api/*', '/api/v1/x'));
    assert.ok(!patternMatches('/api/*', '/apix'));
    assert.ok(patternMatches('/*', '/anything/at/all'));
    assert.ok(patternMatches('/auth/token', '/auth/token'));
    assert.ok(!patternMatches('/auth/token', '/auth/token/x'));
  });

  test('the first rule by priority whose method and pattern match decides', () => {
    const rules = [
      rule(1, ['POST'], '/ingest/v1/webhooks/github', ['anyone']),
      rule(2, ['*'], '/ingest/*', ['supplier']),
      rule(3, ['GET'], '/*', ['anyone']),
    ];
    assert.equal(matchRule(rules, 'POST', '/ingest/v1/webhooks/github')?.priority, 1);
    assert.equal(matchRule(rules, 'POST', '/ingest/v1/events')?.priority, 2);
    assert.equal(matchRule(rules, 'get', '/ingest/v1/openapi.json')?.priority, 2);
    assert.equal(matchRule(rules, 'GET', '/index.html')?.priority, 3);
    assert.equal(matchRule(rules, 'DELETE', '/index.html'), undefined);
  });

  test('denies with 401 whom it does not know and 403 whom it knows without the right', () => {
    const adminOnly = rule(1, ['*'], '/admin/api/*', ['admin']);
    assert.deepEqual(decideAccess(adminOnly, analyst), {
      allowed: false,
      status: 403,
      reason: 'This needs one of the roles: admin',
    });
    assert.equal(decideAccess(adminOnly, undefined).allowed, false);
    assert.equal((decideAccess(adminOnly, undefined) as { status: number }).status, 401);
    assert.equal((decideAccess(undefined, analyst) as { status: number }).status, 403);
    assert.equal((decideAccess(undefined, undefined) as { status: number }).status, 401);
    assert.deepEqual(decideAccess(rule(1, ['GET'], '/auth/me', ['authenticated']), analyst), {
      allowed: true,
    });
    assert.deepEqual(decideAccess(rule(1, ['GET'], '/*', ['anyone']), undefined), { allowed: true });
  });
});

describe('upstream routes', () => {
  test('map the public URL space onto the services of docs/DESIGN.md', () => {
    assert.deepEqual(routeTargetFor('/auth/token', ''), { kind: 'proxy' });
    assert.deepEqual(routeTargetFor('/ingest/v1/events', '?x=1'), {
      kind: 'upstream',
      service: 'input-gateway',
      path: '/v1/events?x=1',
    });
    assert.deepEqual(routeTargetFor('/api/v1/repositories/a/b', ''), {
      kind: 'upstream',
      service: 'output-gateway',
      path: '/v1/repositories/a/b',
    });
    assert.deepEqual(routeTargetFor('/admin/api/users', ''), {
      kind: 'upstream',
      service: 'admin-panel',
      path: '/api/users',
    });
    assert.deepEqual(routeTargetFor('/admin/assets/app.js', ''), {
      kind: 'upstream',
      service: 'admin-panel',
      path: '/admin/assets/app.js',
    });
    assert.deepEqual(routeTargetFor('/', ''), { kind: 'upstream', service: 'client-panel', path: '/' });
    assert.deepEqual(routeTargetFor('/apiary', ''), {
      kind: 'upstream',
      service: 'client-panel',
      path: '/apiary',
    });
  });
});

describe('scopes', () => {
  const scopes = { params: { owner: ['acme', 'globex'] }, maxLimit: 50 };

  test('let through the allowed owners, in the path, the query or a compare list, whatever their case', () => {
    const scoped = applyScopes(scopes, '/v1/repositories/ACME/rockets/activity', '?interval=week');
    assert.equal(scoped.search, '?interval=week');
    assert.deepEqual(scoped.headers, { 'x-scope-param-owner': 'acme,globex', 'x-scope-max-limit': '50' });
    applyScopes(scopes, '/v1/repositories', '?owner=globex');
    applyScopes(scopes, '/v1/compare', '?repos=acme/a,globex/b');
  });

  test('refuse any other owner with 403', () => {
    for (const [path, search] of [
      ['/v1/repositories/initech/x', ''],
      ['/v1/organizations/initech', ''],
      ['/v1/repositories', '?owner=initech'],
      ['/v1/repositories', '?owner=acme&owner=initech'],
      ['/v1/compare', '?repos=acme/a,initech/b'],
    ] as const) {
      assert.throws(() => applyScopes(scopes, path, search), ForbiddenError, `${path}${search}`);
    }
  });

  test('lower a limit above the cap to the cap, and leave one below it', () => {
    assert.equal(
      applyScopes(scopes, '/v1/repositories', '?limit=500&owner=acme').search,
      '?limit=50&owner=acme',
    );
    assert.equal(applyScopes(scopes, '/v1/repositories', '?limit=10').search, '?limit=10');
    assert.equal(applyScopes(scopes, '/v1/repositories', '?limit=abc').search, '?limit=50');
  });
});
