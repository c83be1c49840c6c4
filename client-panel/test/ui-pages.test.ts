import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { startHttpServer, type RunningServer } from '@repopulse/core';
import {
  parseContentSecurityPolicy,
  proxiedFetch,
  testForwardedIdentity,
  testLogger,
} from '@repopulse/core/testing';
import { createApp } from '../src/app.js';

describe('the client panel serves its built dashboards with a Content-Security-Policy (a real server)', () => {
  let directory: string;
  let server: RunningServer;
  let base: string;

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'client-ui-'));
    await mkdir(join(directory, 'assets'));
    await writeFile(
      join(directory, 'index.html'),
      '<!doctype html><script type="module" src="/assets/a.js"></script>',
    );
    await writeFile(join(directory, 'assets', 'a.js'), 'console.log(1);');
    const app = createApp({
      logger: testLogger(),
      registry: new Registry(),
      uiDirectory: directory,
      forwardedIdentity: testForwardedIdentity,
    });
    server = await startHttpServer(app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
  });

  after(async () => {
    await server.close(1_000);
    await rm(directory, { recursive: true, force: true });
  });

  test('every page (/, a deep link) allows only the panel’s own scripts, styles and API, and no framing', async () => {
    for (const path of ['/', '/repositories/acme/rockets']) {
      const response = await proxiedFetch(`${base}${path}`);
      assert.equal(response.status, 200);
      const policy = parseContentSecurityPolicy(response.headers.get('content-security-policy'));
      assert.equal(policy['script-src'], "'self'", path);
      assert.equal(policy['style-src'], "'self'", path);
      assert.equal(policy['connect-src'], "'self'", path);
      assert.equal(policy['frame-ancestors'], "'none'", path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    }
  });

  test('its assets and its own /health are sent with nosniff and the strict policy', async () => {
    for (const path of ['/assets/a.js', '/health']) {
      const response = await proxiedFetch(`${base}${path}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(
        parseContentSecurityPolicy(response.headers.get('content-security-policy'))['default-src'],
        "'none'",
        path,
      );
    }
  });
});
