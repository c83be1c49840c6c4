import { createSecretKey } from 'node:crypto';
import {
  createApiKeyUsageTracker,
  notFoundHandler,
  problemErrorHandler,
  recordAudit,
  requestId,
  startHttpServer,
  type AuditEntry,
  type Database,
  type Queryable,
} from '@repopulse/core';
import { testLogger } from '@repopulse/core/testing';
import express from 'express';
import type { AuditTrail } from '../src/contracts.js';
import {
  createAuthRoutes,
  createLoginService,
  createLoginThrottle,
  createRequestAuthenticator,
  createTokenService,
  createUserLookup,
  type LoginThrottleSettings,
  type TokenService,
  type UserLookup,
} from '../src/authentication/index.js';

export const testIssuer = 'repopulse-test';
export const testAudience = 'repopulse-test';

/** An audit trail writing to the real audit_log through core's recordAudit when flushed. */
export function databaseAuditTrail(database: Queryable): AuditTrail {
  let pending: AuditEntry[] = [];
  return {
    record(entry) {
      pending.push(entry);
    },
    async flush() {
      const batch = pending;
      pending = [];
      await recordAudit(database, batch);
    },
  };
}

export function testTokenService(now?: () => number): TokenService {
  return createTokenService({
    keys: {
      algorithm: 'HS256',
      secret: createSecretKey(Buffer.from('auth-test-app-secret-long-enough-for-hs256')),
    },
    issuer: testIssuer,
    audience: testAudience,
    lifetimeSeconds: 900,
    now,
  });
}

export interface AuthTestApp {
  base: string;
  audit: AuditTrail;
  tokens: TokenService;
  users: UserLookup;
  stop(): Promise<void>;
}

/** The proxy's defaults. */
export const defaultLoginThrottle: LoginThrottleSettings = {
  threshold: 5,
  windowSeconds: 900,
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  guessWindowSeconds: 60,
  guessesPerAccount: 10,
  guessesPerAddress: 20,
};

/**
 * Authentication as the proxy uses it, without the rest of the proxy: a middleware sets `request.identity`
 * from the authenticator, then the auth routes, and `GET /probe` answers the identity (or null) of any
 * request, so a test sees what the authenticator decided.
 */
export async function startAuthTestApp(options: {
  database: Database;
  login?: Partial<LoginThrottleSettings>;
  userCacheTtlMs?: number;
  now?: () => number;
}): Promise<AuthTestApp> {
  const logger = testLogger('auth-test');
  const { database } = options;
  const audit = databaseAuditTrail(database);
  const tokens = testTokenService(options.now);
  const users = createUserLookup({ database, ttlMs: options.userCacheTtlMs ?? 10_000, now: options.now });
  const authenticator = createRequestAuthenticator({
    database,
    tokens,
    users,
    apiKeyUsage: createApiKeyUsageTracker({ queryable: database, onError: () => {} }),
    logger,
  });
  const throttle = createLoginThrottle({
    database,
    logger,
    settings: { ...defaultLoginThrottle, ...options.login },
  });
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(requestId());
  app.use(async (request, _response, next) => {
    request.identity = await authenticator.authenticate(request);
    next();
  });
  app.get('/probe', (request, response) => {
    response.json({ identity: request.identity ?? null });
  });
  app.use(createAuthRoutes({ login: createLoginService({ database, tokens, throttle, audit, logger }) }));
  app.use(notFoundHandler);
  app.use(problemErrorHandler(logger));
  const server = await startHttpServer(app, 0, '127.0.0.1');
  return {
    base: `http://127.0.0.1:${server.port}`,
    audit,
    tokens,
    users,
    stop: () => server.close(),
  };
}
