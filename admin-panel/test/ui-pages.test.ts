import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { createServiceApp, startHttpServer, type RunningServer } from '@repopulse/core';
import {
  parseContentSecurityPolicy,
  proxiedFetch,
  testForwardedIdentity,
  testLogger,
} from '@repopulse/core/testing';
import { uiRoutes } from '../src/ui/ui-routes.js';

describe('the admin panel serves its built UI with a Content-Security-Policy (a real server)', () => {
  let directory: string;
  let server: RunningServer;
  let base: string;

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'admin-ui-'));
    await writeFile(join(directory, 'index.html'), '<!doctype html><title>admin</title>');
    // The UI routes as app.ts mounts them, behind the frame every module shares.
    const app = createServiceApp({
      forwardedIdentity: testForwardedIdentity,
      logger: testLogger(),
      registry: new Registry(),
      checks: {},
      routes: (app) => app.use(uiRoutes({ directory })),
    });
    server = await startHttpServer(app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
  });

  after(async () => {
    await server.close(1_000);
    await rm(directory, { recursive: true, force: true });
  });

  test('its pages allow only its own scripts, styles, API and the empty favicon, and no framing', async () => {
    for (const path of ['/admin/', '/admin/sources']) {
      const response = await proxiedFetch(`${base}${path}`);
      assert.equal(response.status, 200);
      const policy = parseContentSecurityPolicy(response.headers.get('content-security-policy'));
      assert.deepEqual(
        [policy['script-src'], policy['style-src'], policy['img-src'], policy['frame-ancestors']],
        ["'self'", "'self'", "'self' data:", "'none'"],
        path,
      );
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
    }
  });

  test('what is not a page keeps the strict policy', async () => {
    const response = await proxiedFetch(`${base}/api/nothing-here`);
    assert.equal(response.status, 404);
    assert.deepEqual(parseContentSecurityPolicy(response.headers.get('content-security-policy')), {
      'default-src': "'none'",
      'frame-ancestors': "'none'",
    });
  });
});
