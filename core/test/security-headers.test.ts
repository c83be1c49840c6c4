import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import { Registry } from 'prom-client';
import {
  createServiceApp,
  NotFoundError,
  securityHeaders,
  startHttpServer,
  type RunningServer,
} from '../src/index.js';
import {
  parseContentSecurityPolicy as parsePolicy,
  proxiedFetch,
  testForwardedIdentity,
  testLogger,
} from '../src/testing/index.js';

const apiPolicy = { 'default-src': "'none'", 'frame-ancestors': "'none'" };
const pagePolicy = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
};

function assertCommonHeaders(response: Response): void {
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(response.headers.get('x-frame-options'), 'DENY');
  assert.equal(response.headers.get('cross-origin-opener-policy'), 'same-origin');
}

describe('security headers on every answer of a service app (a real server)', () => {
  let server: RunningServer;
  let base: string;

  before(async () => {
    const app = createServiceApp({
      forwardedIdentity: testForwardedIdentity,
      logger: testLogger(),
      registry: new Registry(),
      checks: {},
      routes(app) {
        app.get('/v1/things', (_request, response) => {
          response.json({ things: [] });
        });
        app.get('/v1/missing', () => {
          throw new NotFoundError('no such thing');
        });
        app.get('/ui/', securityHeaders({ content: 'page' }), (_request, response) => {
          response.type('html').send('<!doctype html><title>ui</title>');
        });
      },
    });
    server = await startHttpServer(app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
  });

  after(async () => {
    await server.close(1_000);
  });

  test('JSON answers, problem documents, 404s and /health carry the strict policy and the common headers', async () => {
    for (const path of ['/v1/things', '/v1/missing', '/nowhere', '/health']) {
      const response = await proxiedFetch(`${base}${path}`);
      assert.deepEqual(parsePolicy(response.headers.get('content-security-policy')), apiPolicy, path);
      assertCommonHeaders(response);
    }
  });

  test('a page gets the policy the panels pass: its own scripts, styles and API only, never framed', async () => {
    const response = await proxiedFetch(`${base}/ui/`);
    assert.equal(response.status, 200);
    assert.deepEqual(parsePolicy(response.headers.get('content-security-policy')), pagePolicy);
    assertCommonHeaders(response);
  });

  test('sends no HSTS over plain HTTP, and believes no X-Forwarded-Proto: modules sit behind the proxy', async () => {
    const response = await proxiedFetch(`${base}/v1/things`, { headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(response.headers.get('strict-transport-security'), null);
  });
});

describe('HSTS behind a TLS-ending proxy', () => {
  let server: RunningServer;
  let base: string;

  before(async () => {
    const app = express();
    app.set('trust proxy', 'loopback');
    app.use(securityHeaders());
    app.get('/', (_request, response) => {
      response.json({});
    });
    server = await startHttpServer(app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}/`;
  });

  after(async () => {
    await server.close(1_000);
  });

  test('tells the browser to stay on https when a trusted proxy says the request came over TLS', async () => {
    const response = await fetch(base, { headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(response.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains');
  });

  test('says nothing of the kind for a plain HTTP request', async () => {
    for (const headers of [{}, { 'x-forwarded-proto': 'http' }] as Array<Record<string, string>>) {
      const response = await fetch(base, { headers });
      assert.equal(response.headers.get('strict-transport-security'), null);
    }
  });
});
