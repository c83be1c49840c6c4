import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BadRequestError } from '@repopulse/core';
import { normaliseRequestPath } from '../src/pipeline/normalise-request-path.js';

describe('one spelling of every request path', () => {
  test('collapses repeated slashes, resolves dot segments and decodes escaped unreserved characters', () => {
    const cases: Array<[string, string]> = [
      ['/api/v1//repositories/globex/secret', '/api/v1/repositories/globex/secret'],
      ['//api///v1/organizations/globex', '/api/v1/organizations/globex'],
      ['/api/v1/repositories/%67lobex/secret', '/api/v1/repositories/globex/secret'],
      ['/api/v1/repositories/./globex/secret', '/api/v1/repositories/globex/secret'],
      ['/api/v1/repositories/acme/../globex/secret', '/api/v1/repositories/globex/secret'],
      ['/api/%2e%2e/admin/api/users', '/admin/api/users'],
      ['/api/v1/repositories/acme/x/..', '/api/v1/repositories/acme/'],
      ['/admin/', '/admin/'],
      ['/', '/'],
      ['/api/v1/search/caf%c3%a9', '/api/v1/search/caf%C3%A9'],
    ];
    for (const [raw, expected] of cases) assert.equal(normaliseRequestPath(raw).pathname, expected, raw);
  });

  test('keeps the query string as it was sent', () => {
    assert.deepEqual(normaliseRequestPath('/api//v1/repositories?owner=acme&q=a%2Fb'), {
      pathname: '/api/v1/repositories',
      search: '?owner=acme&q=a%2Fb',
    });
  });

  test('refuses (400) what cannot be made into one clean path', () => {
    for (const raw of [
      '/api/v1/repositories/acme%2Fwidgets',
      '/api/v1/repositories/acme%5cwidgets',
      '/api\\v1/repositories',
      '/api/v1/repositories/acme%00',
      '/api/v1/repositories/%zz',
      '/api/v1/repositories/acme%2',
      '/../etc/passwd',
      '/api/../../admin',
      '/api/v1/repositories/acme widgets',
      '/api/v1/repositories/caf\u00e9',
      'api/v1/repositories',
      '/api/v1/repositories?q=\u0000',
    ]) {
      assert.throws(() => normaliseRequestPath(raw), BadRequestError, raw);
    }
  });
});
