import type { Queryable } from '../db/index.js';
import { BadRequestError } from '../errors/index.js';
import { hashPassword } from './password-hashing.js';
import { findUserForLogin, minPasswordLength } from './user-store.js';

export const adminUsername = 'admin';

/**
 * The first start's `admin`, with role admin, when no user of that name exists; later starts change
 * nothing (a changed ADMIN_PASSWORD does not overwrite a password set in the admin panel). Two replicas
 * starting at once both try the insert and ON CONFLICT lets exactly one of them win.
 */
export async function ensureAdminUser(
  queryable: Queryable,
  password: string,
): Promise<{ created: boolean; id: string }> {
  const existing = await findUserForLogin(queryable, adminUsername);
  if (existing) return { created: false, id: existing.id };
  if (password.length < minPasswordLength) {
    throw new BadRequestError(`The admin password needs at least ${minPasswordLength} characters`);
  }
  const passwordHash = await hashPassword(password);
  const { rows } = await queryable.query<{ id: string }>(
    `INSERT INTO users (username, password_hash, roles) VALUES ($1, $2, '{admin}')
     ON CONFLICT DO NOTHING RETURNING users.id::text AS id`,
    [adminUsername, passwordHash],
  );
  if (rows[0]) return { created: true, id: rows[0].id };
  // The other replica's insert won between our read and our write.
  const winner = await findUserForLogin(queryable, adminUsername);
  return { created: false, id: winner!.id };
}
