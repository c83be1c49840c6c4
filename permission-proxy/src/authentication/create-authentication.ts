import { createApiKeyUsageTracker, type ConfigOf, type Database, type Logger } from '@repopulse/core';
import type { Router } from 'express';
import type { AuditTrail, RequestAuthenticator } from '../contracts.js';
import { createAuthRoutes } from './auth-routes.js';
import type { authenticationVariables } from './authentication-config.js';
import { ensureFirstAdmin } from './first-admin.js';
import { createLoginService } from './login.js';
import { createLoginThrottle } from './login-throttle.js';
import { createApiKeyLookup, type ApiKeyLookup } from './api-key-lookup.js';
import { createRequestAuthenticator } from './request-authenticator.js';
import { createTokenKeys } from './token-keys.js';
import { createTokenService, type TokenService } from './token-service.js';
import { createUserLookup, type UserLookup } from './user-lookup.js';

export type AuthenticationConfig = ConfigOf<typeof authenticationVariables>;

export interface Authentication {
  authenticator: RequestAuthenticator;
  /** `POST /auth/token` and `GET /auth/me`, to mount after the pipeline has set `request.identity`. */
  authRoutes: Router;
  tokens: TokenService;
  /** What is cached about users and keys, for the change notifications to drop. */
  caches: { users: UserLookup; apiKeys: ApiKeyLookup };
  /** Creates `admin` on the first start; call once the database is migrated. */
  ensureFirstAdmin(): Promise<void>;
}

/**
 * Wires authentication from its configuration. Throws ConfigError naming JWT_SECRET, JWT_PRIVATE_KEY or
 * JWT_PUBLIC_KEY (and, from `ensureFirstAdmin`, ADMIN_PASSWORD) when the configuration cannot work.
 */
export function createAuthentication(options: {
  config: AuthenticationConfig;
  database: Database;
  audit: AuditTrail;
  logger: Logger;
}): Authentication {
  const { config, database, audit, logger } = options;
  const production = config.NODE_ENV === 'production';
  const keys = createTokenKeys({
    secret: config.JWT_SECRET,
    privateKey: config.JWT_PRIVATE_KEY,
    publicKey: config.JWT_PUBLIC_KEY,
    production,
    logger,
  });
  const tokens = createTokenService({
    keys,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    lifetimeSeconds: config.JWT_LIFETIME_SECONDS,
  });
  const caches = {
    users: createUserLookup({
      database,
      ttlMs: config.AUTH_USER_CACHE_TTL_MS,
      staleWhileDownMs: config.AUTH_STALE_WHILE_DOWN_MS,
    }),
    apiKeys: createApiKeyLookup({
      database,
      ttlMs: config.AUTH_USER_CACHE_TTL_MS,
      staleWhileDownMs: config.AUTH_STALE_WHILE_DOWN_MS,
    }),
  };
  const authenticator = createRequestAuthenticator({
    database,
    apiKeys: caches.apiKeys,
    tokens,
    users: caches.users,
    apiKeyUsage: createApiKeyUsageTracker({
      queryable: database,
      onError: (error) => logger.warn('cannot note that an API key was used', { error }),
    }),
    logger,
  });
  const throttle = createLoginThrottle({
    database,
    logger,
    settings: {
      threshold: config.LOGIN_FAILURE_THRESHOLD,
      windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
      baseDelayMs: config.LOGIN_DELAY_BASE_MS,
      maxDelayMs: config.LOGIN_DELAY_MAX_MS,
      guessWindowSeconds: config.LOGIN_GUESS_WINDOW_SECONDS,
      guessesPerAccount: config.LOGIN_GUESS_LIMIT_PER_ACCOUNT,
      guessesPerAddress: config.LOGIN_GUESS_LIMIT_PER_ADDRESS,
    },
  });
  const login = createLoginService({ database, tokens, throttle, audit, logger });
  return {
    authenticator,
    authRoutes: createAuthRoutes({ login }),
    tokens,
    caches,
    ensureFirstAdmin: () =>
      ensureFirstAdmin({ database, password: config.ADMIN_PASSWORD, production, audit, logger }),
  };
}
