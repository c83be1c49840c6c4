import { randomBytes } from 'node:crypto';
import {
  findUserForLogin,
  hashPassword,
  replacePasswordHash,
  UnauthorisedError,
  verifyPassword,
  type AuditEntry,
  type Logger,
  type Queryable,
  type UserForLogin,
} from '@repopulse/core';
import type { AuditTrail } from '../contracts.js';
import type { LoginThrottle } from './login-throttle.js';
import type { IssuedToken, TokenService } from './token-service.js';

export interface LoginAttempt {
  username: string;
  password: string;
  address: string;
  requestId: string;
}

export interface LoginService {
  /** A token for the right password of an enabled user; UnauthorisedError otherwise, the same for every cause. */
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

  return {
    async logIn(attempt) {
      const { delayMs } = await throttle.waitBeforeAttempt(attempt.username, attempt.address);
      const user = await findUserForLogin(database, attempt.username);
      const check = await checkPassword(user, attempt.password);
      const reason = failureReason(user, check.valid);
      if (reason || !user) {
        const failures = await throttle.recordFailure(attempt.username, attempt.address);
        recordLogin(attempt, user, 'failure', { reason, failures, delayMs });
        throw new UnauthorisedError('Invalid username or password');
      }
      await throttle.recordSuccess(attempt.username);
      if (check.needsRehash) await rehash(user, attempt.password);
      recordLogin(attempt, user, 'success', { delayMs });
      return tokens.issue({
        kind: 'user',
        id: user.id,
        name: user.username,
        roles: user.roles,
        scopes: user.scopes,
      });
    },
  };
}
