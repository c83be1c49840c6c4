import { integer, optional, text } from '@repopulse/core';

/**
 * The environment variables of authentication, with their defaults, for the proxy's config spec to
 * include: `loadConfigOrExit({ ...authenticationVariables, ...others })`.
 */
export const authenticationVariables = {
  /** `production` makes a missing JWT key or ADMIN_PASSWORD an error instead of a generated value. */
  NODE_ENV: text({ defaultValue: 'development' }),
  /** HS256 signing secret, at least 32 characters. Or, for RS256, the PEM pair below. */
  JWT_SECRET: optional(text()),
  JWT_PRIVATE_KEY: optional(text()),
  /** Optional with JWT_PRIVATE_KEY (derived from it); when set, must be its public half. */
  JWT_PUBLIC_KEY: optional(text()),
  JWT_ISSUER: text({ defaultValue: 'repopulse' }),
  JWT_AUDIENCE: text({ defaultValue: 'repopulse' }),
  JWT_LIFETIME_SECONDS: integer({ min: 30, max: 86_400, defaultValue: 900 }),
  /** Used once, when no user `admin` exists; generated and printed in development. */
  ADMIN_PASSWORD: optional(text()),
  /**
   * How long a JWT's user row (roles, disabled, token version) and a valid API key are trusted before they
   * are read again should a change notification be missed (they drop a changed entry at once).
   */
  AUTH_USER_CACHE_TTL_MS: integer({ min: 0, max: 300_000, defaultValue: 10_000 }),
  /**
   * While PostgreSQL cannot be reached (a restart, a failover), a user row or API key the database confirmed
   * within this long keeps working; any other credential, and every login, gets 503. 0 turns it off.
   */
  AUTH_STALE_WHILE_DOWN_MS: integer({ min: 0, max: 86_400_000, defaultValue: 600_000 }),
  LOGIN_FAILURE_THRESHOLD: integer({ min: 1, max: 1_000, defaultValue: 5 }),
  LOGIN_FAILURE_WINDOW_SECONDS: integer({ min: 1, max: 86_400, defaultValue: 900 }),
  LOGIN_DELAY_BASE_MS: integer({ min: 0, max: 60_000, defaultValue: 250 }),
  LOGIN_DELAY_MAX_MS: integer({ min: 0, max: 60_000, defaultValue: 5_000 }),
  /** Wrong passwords evaluated per account (known or not) and per address within this window, at most: */
  LOGIN_GUESS_WINDOW_SECONDS: integer({ min: 1, max: 86_400, defaultValue: 60 }),
  LOGIN_GUESS_LIMIT_PER_ACCOUNT: integer({ min: 1, max: 10_000, defaultValue: 10 }),
  LOGIN_GUESS_LIMIT_PER_ADDRESS: integer({ min: 1, max: 100_000, defaultValue: 20 }),
} as const;
