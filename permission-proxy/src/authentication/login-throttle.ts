import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger, Queryable } from '@repopulse/core';
import {
  deleteExpiredLoginFailures,
  deleteLoginFailures,
  selectLoginFailures,
  upsertLoginFailures,
} from './login-failures.js';

export interface LoginThrottleSettings {
  /** Failures (per user or per address) allowed within the window before attempts are slowed down. */
  threshold: number;
  windowSeconds: number;
  /** The wait at the threshold, doubling with each further failure, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface LoginThrottle {
  /** Waits as long as the failures of this user or this address call for; answers what was waited. */
  waitBeforeAttempt(username: string, address: string): Promise<{ failures: number; delayMs: number }>;
  /** Counts a failure against the user and the address; answers the higher count. */
  recordFailure(username: string, address: string): Promise<number>;
  /** A right password clears the user's count; the address keeps its count (it may be guessing others). */
  recordSuccess(username: string): Promise<void>;
}

/** 0 below the threshold, then base × 2^(failures − threshold), capped. */
export function loginDelayMs(failures: number, settings: LoginThrottleSettings): number {
  if (failures < settings.threshold) return 0;
  return Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (failures - settings.threshold));
}

/** Lower-cased as usernames are matched, so `Admin` and `admin` share one count. */
export function userSubject(username: string): string {
  return `user:${username.toLowerCase()}`;
}

export function addressSubject(address: string): string {
  return `address:${address}`;
}

/**
 * Slows guessing down instead of locking accounts out: a lock-out would let anyone lock the admin out by
 * failing on purpose, while a capped delay costs a real user a few seconds and a guesser most of their
 * rate. The rate limit on POST /auth/token (ACL) bounds how many delayed attempts run at once.
 */
export function createLoginThrottle(options: {
  database: Queryable;
  settings: LoginThrottleSettings;
  logger: Logger;
  now?: () => number;
}): LoginThrottle {
  const { database, settings } = options;
  const now = options.now ?? Date.now;
  let lastPrunedAt = now();

  function pruneNowAndThen(): void {
    if (now() - lastPrunedAt < settings.windowSeconds * 1000) return;
    lastPrunedAt = now();
    deleteExpiredLoginFailures(database, settings.windowSeconds).catch((error: unknown) =>
      options.logger.warn('cannot prune old login failures', { error }),
    );
  }

  return {
    async waitBeforeAttempt(username, address) {
      const subjects = [userSubject(username), addressSubject(address)];
      const failures = await selectLoginFailures(database, subjects, settings.windowSeconds);
      const delayMs = loginDelayMs(failures, settings);
      if (delayMs > 0) await sleep(delayMs);
      return { failures, delayMs };
    },
    async recordFailure(username, address) {
      const subjects = [userSubject(username), addressSubject(address)];
      const failures = await upsertLoginFailures(database, subjects, settings.windowSeconds);
      pruneNowAndThen();
      return failures;
    },
    async recordSuccess(username) {
      await deleteLoginFailures(database, userSubject(username));
    },
  };
}
