import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ConfigError,
  notFoundHandler,
  problemErrorHandler,
  readConfig,
  requestId,
  startHttpServer,
} from '@repopulse/core';
import { createTestDatabase, testLogger, type TestDatabase } from '@repopulse/core/testing';
import express from 'express';
import { authenticationVariables, createAuthentication } from '../src/authentication/index.js';
import { databaseAuditTrail } from './auth-test-app.js';

describe('authentication wired from its configuration (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;

  before(async () => {
    testDatabase = await createTestDatabase();
  });

  after(async () => {
    await testDatabase?.drop();
  });

  test('reads the defaults of docs/DESIGN.md: 15-minute tokens, 5 failures in 15 minutes, 10 s user cache, 10 guesses a minute per account', () => {
    const config = readConfig(authenticationVariables, {});
    assert.equal(config.NODE_ENV, 'development');
    assert.equal(config.JWT_SECRET, null);
    assert.equal(config.JWT_LIFETIME_SECONDS, 900);
    assert.equal(config.JWT_ISSUER, 'repopulse');
    assert.equal(config.JWT_AUDIENCE, 'repopulse');
    assert.equal(config.AUTH_USER_CACHE_TTL_MS, 10_000);
    assert.equal(config.LOGIN_FAILURE_THRESHOLD, 5);
    assert.equal(config.LOGIN_FAILURE_WINDOW_SECONDS, 900);
    assert.equal(config.LOGIN_DELAY_BASE_MS, 250);
    assert.equal(config.LOGIN_DELAY_MAX_MS, 5_000);
    assert.equal(config.LOGIN_GUESS_WINDOW_SECONDS, 60);
    assert.equal(config.LOGIN_GUESS_LIMIT_PER_ACCOUNT, 10);
    assert.equal(config.LOGIN_GUESS_LIMIT_PER_ADDRESS, 20);
  });

  test('refuses to build in production without a JWT key, naming JWT_SECRET', () => {
    const config = readConfig(authenticationVariables, { NODE_ENV: 'production' });
    assert.throws(
      () =>
        createAuthentication({
          config,
          database: testDatabase.database,
          audit: databaseAuditTrail(testDatabase.database),
          logger: testLogger(),
        }),
      (error: unknown) => error instanceof ConfigError && error.variable === 'JWT_SECRET',
    );
  });

  test('creates the admin from ADMIN_PASSWORD, who logs in and is recognised by /auth/me', async () => {
    const config = readConfig(authenticationVariables, {
      NODE_ENV: 'production',
      JWT_SECRET: 'wiring-test-secret-long-enough-for-hs256',
      ADMIN_PASSWORD: 'admin-password-from-env',
    });
    const authentication = createAuthentication({
      config,
      database: testDatabase.database,
      audit: databaseAuditTrail(testDatabase.database),
      logger: testLogger(),
    });
    await authentication.ensureFirstAdmin();
    const app = express();
    app.use(requestId());
    app.use(async (request, _response, next) => {
      request.identity = await authentication.authenticator.authenticate(request);
      next();
    });
    app.use(authentication.authRoutes);
    app.use(notFoundHandler);
    app.use(problemErrorHandler(testLogger()));
    const server = await startHttpServer(app, 0, '127.0.0.1');
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const login = await fetch(`${base}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'admin-password-from-env' }),
      });
      assert.equal(login.status, 200);
      const { access_token } = (await login.json()) as { access_token: string };
      const me = await fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${access_token}` } });
      const identity = (await me.json()) as { name: string; roles: string[] };
      assert.equal(identity.name, 'admin');
      assert.deepEqual(identity.roles, ['admin']);
    } finally {
      await server.close();
    }
  });
});
