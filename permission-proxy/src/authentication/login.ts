import { randomBytes } from 'node:crypto';
import {
  findUserForLogin,
  hashPassword,
  replacePasswordHash,
  TooManyRequestsError,
  UnauthorisedError,
  verifyPassword,
  type AuditEntry,
  type Logger,
  type Queryable,
  type UserForLogin,
} from '@repopulse/core';
import type { AuditTrail } from '../contracts.js';
import { userSubject, type LoginThrottle, type RefusedAttempt } from './login-throttle.js';
import type { IssuedToken, TokenService } from './token-service.js';

export interface LoginAttempt {
  username: string;
  password: string;
  address: string;
  requestId: string;
}

export interface LoginService {
  /**
   * A token for the right password of an enabled user; UnauthorisedError otherwise, the same for every
   * cause; TooManyRequestsError, before anything is checked, once the username or the address has used
   * up its guesses.
   */
  logIn(attempt: LoginAttempt): Promise<IssuedToken>;
}

export interface LoginServiceOptions {
  database: Queryable;
  tokens: TokenService;
  throttle: LoginThrottle;
  audit: AuditTrail;
  logger: Logger;
}

type FailureReason = 'unknown-user' | 'disabled' | 'wrong-password';

/** For the audit log only: the client hears the same answer for each. */
function failureReason(user: UserForLogin | undefined, passwordValid: boolean): FailureReason | undefined {
  if (!user) return 'unknown-user';
  if (!passwordValid) return 'wrong-password';
  return user.disabled ? 'disabled' : undefined;
}

export function createLoginService(options: LoginServiceOptions): LoginService {
  const { database, tokens, throttle, audit, logger } = options;
  // Checked when no user has the name, so "no such user" takes as long as "wrong password" and the answer
  // time does not tell which usernames exist. Made once per service, on first use.
  let absentUserHash: Promise<string> | undefined;

  async function checkPassword(user: UserForLogin | undefined, password: string) {
    if (!user) {
      absentUserHash ??= hashPassword(randomBytes(16).toString('hex'));
      await verifyPassword(await absentUserHash, password);
      return { valid: false, needsRehash: false };
    }
    return verifyPassword(user.passwordHash, password);
  }

  async function rehash(user: UserForLogin, password: string): Promise<void> {
    try {
      await replacePasswordHash(database, user.id, await hashPassword(password));
    } catch (error) {
      logger.warn('cannot store the password hash with current parameters', { error, userId: user.id });
    }
  }

  function recordLogin(
    attempt: LoginAttempt,
    user: UserForLogin | undefined,
    outcome: AuditEntry['outcome'],
    details: Record<string, unknown>,
  ) {
    audit.record({
      actorKind: user ? 'user' : 'anonymous',
      actorId: user?.id ?? null,
      // For an unknown user, the name tried: admins reading the log see what is being guessed.
      actorName: user?.username ?? attempt.username,
      action: 'login',
      outcome,
      details,
      requestId: attempt.requestId,
      address: attempt.address,
    });
  }

  /** Audited once per episode (not per refused attempt: a flood would flood the log too). */
  function refuse(attempt: LoginAttempt, refused: RefusedAttempt): never {
    for (const bound of refused.exhausted) {
      if (!bound.episodeStarted) continue;
      audit.record({
        actorKind: 'anonymous',
        actorId: null,
        actorName: attempt.username,
        action: 'login.throttled',
        target: bound.subject,
        outcome: 'denied',
        details: { guesses: bound.guesses, until: bound.until.toISOString() },
        requestId: attempt.requestId,
        address: attempt.address,
      });
      logger.warn('password guessing refused until the window passes', {
        subject: bound.subject,
        until: bound.until,
      });
    }
    const forAccount = refused.exhausted.some((bound) => bound.subject === userSubject(attempt.username));
    throw new TooManyRequestsError(
      `Too many wrong passwords ${forAccount ? 'for this username' : 'from this address'}: try again in ${refused.retryAfterSeconds} s`,
      refused.retryAfterSeconds,
    );
  }

  return {
    async logIn(attempt) {
      const admitted = await throttle.admit(attempt.username, attempt.address);
      if (!admitted.admitted) refuse(attempt, admitted);
      const { delayMs } = admitted;
      const user = await findUserForLogin(database, attempt.username);
      const check = await checkPassword(user, attempt.password);
      const reason = failureReason(user, check.valid);
      if (reason || !user) {
        const failures = await throttle.recordFailure(attempt.username, attempt.address);
        recordLogin(attempt, user, 'failure', { reason, failures, delayMs });
        throw new UnauthorisedError('Invalid username or password');
      }
      await throttle.recordSuccess(attempt.username, admitted);
      if (check.needsRehash) await rehash(user, attempt.password);
      recordLogin(attempt, user, 'success', { delayMs });
      return tokens.issue(
        { kind: 'user', id: user.id, name: user.username, roles: user.roles, scopes: user.scopes },
        user.tokenVersion,
      );
    },
  };
}
