import { randomBytes } from 'node:crypto';
import {
  adminUsername,
  ConfigError,
  ensureAdminUser,
  findUserForLogin,
  minPasswordLength,
  type Logger,
  type Queryable,
} from '@repopulse/core';
import type { AuditTrail } from '../contracts.js';

export interface FirstAdminOptions {
  database: Queryable;
  /** ADMIN_PASSWORD; only read when no user `admin` exists yet. */
  password: string | null;
  production: boolean;
  audit: AuditTrail;
  logger: Logger;
}

/**
 * The first start creates `admin` from ADMIN_PASSWORD; in development without one it makes up a password
 * and prints it once. Later starts find the user and change nothing. Throws ConfigError (ADMIN_PASSWORD)
 * when production has neither the user nor the variable, or the variable is too short to be a password.
 */
export async function ensureFirstAdmin(options: FirstAdminOptions): Promise<void> {
  const { password, production, logger } = options;
  if (password !== null && password.length < minPasswordLength) {
    throw new ConfigError('ADMIN_PASSWORD', `must have at least ${minPasswordLength} characters`);
  }
  if (password === null && production) {
    if (await findUserForLogin(options.database, adminUsername)) return;
    throw new ConfigError('ADMIN_PASSWORD', 'is required in production while no user admin exists');
  }
  const chosen = password ?? randomBytes(18).toString('base64url');
  const { created, id } = await ensureAdminUser(options.database, chosen);
  if (!created) return;
  options.audit.record({
    actorKind: 'system',
    action: 'user.create',
    target: `user:${id}`,
    outcome: 'success',
    details: { username: adminUsername, roles: ['admin'], reason: 'first start' },
  });
  if (password === null) {
    // Development only (production refused above); shown this once, it is the only way to learn it.
    logger.warn('created the user admin with a generated password: set ADMIN_PASSWORD to choose one', {
      username: 'admin',
      generatedAdminPassword: chosen,
    });
  } else {
    logger.info('created the user admin from ADMIN_PASSWORD', { userId: id });
  }
}
