import { setTimeout as sleep } from 'node:timers/promises';
import type { Database, Logger } from '@repopulse/core';
import {
  deleteExpiredLoginFailures,
  deleteLoginFailures,
  selectLoginFailures,
  upsertLoginFailures,
} from './login-failures.js';
import {
  deleteExpiredLoginGuesses,
  releaseLoginGuesses,
  reserveLoginGuess,
  upsertLoginThrottle,
} from './login-guesses.js';

export interface LoginThrottleSettings {
  /** Failures (per user or per address) allowed within the window before attempts are slowed down. */
  threshold: number;
  windowSeconds: number;
  /** The wait at the threshold, doubling with each further failure, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** At most this many wrong passwords are evaluated per account and per address in this window. */
  guessWindowSeconds: number;
  guessesPerAccount: number;
  guessesPerAddress: number;
}

/** An attempt that may go ahead: its password is checked; `guessIds` are given back if it was right. */
export interface AdmittedAttempt {
  admitted: true;
  failures: number;
  delayMs: number;
  guessIds: string[];
}

/** An attempt refused before anything was checked: the account or the address used up its window. */
export interface RefusedAttempt {
  admitted: false;
  retryAfterSeconds: number;
  /** Which bound it hit, for the answer and the audit. */
  exhausted: Array<{ subject: string; guesses: number; until: Date; episodeStarted: boolean }>;
}

export interface LoginThrottle {
  /**
   * Takes a guess from the username's and the address's budgets (or refuses, when either is used up),
   * then waits as long as the failures of this user or this address call for.
   */
  admit(username: string, address: string): Promise<AdmittedAttempt | RefusedAttempt>;
  /** Counts a failure against the user and the address; answers the higher count. */
  recordFailure(username: string, address: string): Promise<number>;
  /**
   * A right password: its guesses are given back and the user's failure count is cleared; the address
   * keeps its count (it may be guessing others).
   */
  recordSuccess(username: string, attempt: AdmittedAttempt): Promise<void>;
}

/** 0 below the threshold, then base × 2^(failures − threshold), capped. */
export function loginDelayMs(failures: number, settings: LoginThrottleSettings): number {
  if (failures < settings.threshold) return 0;
  return Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (failures - settings.threshold));
}

/** Lower-cased as usernames are matched, so `Admin` and `admin` share one count; known or not. */
export function userSubject(username: string): string {
  return `user:${username.toLowerCase()}`;
}

export function addressSubject(address: string): string {
  return `address:${address}`;
}

/**
 * Bounds guessing instead of locking accounts out for long: per account (whatever the addresses) and per
 * address (whatever the accounts), at most so many wrong passwords are evaluated within a short window,
 * and past the threshold each attempt waits longer. The slot is taken before the password is checked, so
 * concurrent attempts cannot overrun the bound; past it an attempt is refused (429) without checking the
 * password — the guesser learns nothing, not even from a right one, and no hashing is spent. A right
 * password gives its slot back: logins that succeed never use up a budget, so an office behind one
 * address is not slowed down by its own colleagues. An attacker can keep an account's budget used up;
 * the window is short, the refusal is audited and shown to admins, and API keys keep working.
 */
export function createLoginThrottle(options: {
  database: Database;
  settings: LoginThrottleSettings;
  logger: Logger;
  now?: () => number;
}): LoginThrottle {
  const { database, settings } = options;
  const now = options.now ?? Date.now;
  let lastPrunedAt = now();

  function pruneNowAndThen(): void {
    if (now() - lastPrunedAt < settings.guessWindowSeconds * 1000) return;
    lastPrunedAt = now();
    Promise.all([
      deleteExpiredLoginFailures(database, settings.windowSeconds),
      deleteExpiredLoginGuesses(database, settings.guessWindowSeconds),
    ]).catch((error: unknown) => options.logger.warn('cannot prune old login failures', { error }));
  }

  async function refusal(
    exhausted: Array<{ subject: string; guesses: number; retryAfterSeconds: number; until: Date }>,
  ): Promise<RefusedAttempt> {
    const episodes = await Promise.all(
      exhausted.map(async (bound) => ({
        subject: bound.subject,
        guesses: bound.guesses,
        until: bound.until,
        episodeStarted: await upsertLoginThrottle(database, bound.subject, bound.until),
      })),
    );
    return {
      admitted: false,
      retryAfterSeconds: Math.max(...exhausted.map((bound) => bound.retryAfterSeconds)),
      exhausted: episodes,
    };
  }

  return {
    async admit(username, address) {
      pruneNowAndThen();
      const reservation = await reserveLoginGuess(
        database,
        [
          { subject: userSubject(username), limit: settings.guessesPerAccount },
          { subject: addressSubject(address), limit: settings.guessesPerAddress },
        ],
        settings.guessWindowSeconds,
      );
      if (!reservation.granted) return refusal(reservation.exhausted);
      const subjects = [userSubject(username), addressSubject(address)];
      const failures = await selectLoginFailures(database, subjects, settings.windowSeconds);
      const delayMs = loginDelayMs(failures, settings);
      if (delayMs > 0) await sleep(delayMs);
      return { admitted: true, failures, delayMs, guessIds: reservation.guessIds };
    },
    async recordFailure(username, address) {
      const subjects = [userSubject(username), addressSubject(address)];
      return upsertLoginFailures(database, subjects, settings.windowSeconds);
    },
    async recordSuccess(username, attempt) {
      await releaseLoginGuesses(database, attempt.guessIds);
      await deleteLoginFailures(database, userSubject(username));
    },
  };
}
