import type { Queryable } from '../db/index.js';
import { BadRequestError, ConflictError } from '../errors/index.js';
import { roles as knownRoles, type Role, type Scopes } from './identity.js';
import { hashPassword, maxPasswordLength } from './password-hashing.js';
import { checkScopes } from './scopes-schema.js';

/** A user as the admin API shows it: never the password hash. */
export interface User {
  id: string;
  username: string;
  roles: Role[];
  scopes: Scopes;
  disabled: boolean;
  /**
   * Bumped by a password change, a disable and "sign out everywhere": a token issued under an older
   * version is refused.
   */
  tokenVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What a login needs: the user and the stored hash to check the password against. */
export interface UserForLogin extends User {
  passwordHash: string;
}

export interface NewUser {
  username: string;
  password: string;
  roles: readonly string[];
  scopes?: Scopes;
}

export interface UserChanges {
  username?: string;
  password?: string;
  roles?: readonly string[];
  scopes?: Scopes;
  disabled?: boolean;
}

/** The same rule as the table's CHECK, so a bad name is a 400 with a reason rather than a failed statement. */
const usernamePattern = /^[A-Za-z0-9._@-]{1,100}$/;
export const minPasswordLength = 8;

const userColumns = `users.id::text AS id, users.username, users.roles, users.scopes, users.disabled,
  users.token_version AS "tokenVersion", users.created_at AS "createdAt", users.updated_at AS "updatedAt"`;

export async function createUser(queryable: Queryable, user: NewUser): Promise<User> {
  checkUsername(user.username);
  const roles = checkRoles(user.roles);
  const scopes = checkScopes(user.scopes ?? {});
  const passwordHash = await hashPassword(checkPassword(user.password));
  try {
    const { rows } = await queryable.query<User>(
      `INSERT INTO users (username, password_hash, roles, scopes) VALUES ($1, $2, $3::text[], $4::jsonb)
       RETURNING ${userColumns}`,
      [user.username, passwordHash, roles, JSON.stringify(scopes)],
    );
    return rows[0]!;
  } catch (error) {
    throw conflictOnDuplicateName(error, user.username);
  }
}

/** Case-insensitive, as the unique index on lower(username): `Admin` and `admin` are one account. */
export async function findUserForLogin(
  queryable: Queryable,
  username: string,
): Promise<UserForLogin | undefined> {
  const { rows } = await queryable.query<UserForLogin>(
    `SELECT ${userColumns}, users.password_hash AS "passwordHash" FROM users WHERE lower(users.username) = lower($1)`,
    [username],
  );
  return rows[0];
}

export async function findUserById(queryable: Queryable, id: string): Promise<User | undefined> {
  // Ids arrive from URLs and token subjects; anything but digits would make PostgreSQL fail the cast.
  if (!isRowId(id)) return undefined;
  const { rows } = await queryable.query<User>(`SELECT ${userColumns} FROM users WHERE users.id = $1`, [id]);
  return rows[0];
}

export async function listUsers(queryable: Queryable): Promise<User[]> {
  const { rows } = await queryable.query<User>(`SELECT ${userColumns} FROM users ORDER BY users.id`);
  return rows;
}

/**
 * Changes only the fields given; undefined when no user has that id. A new password or disabling the
 * user also ends every session: the tokens issued before carry the old token version. A change of roles
 * or scopes does not need to, since the proxy reads them from this row and not from the token.
 */
export async function updateUser(
  queryable: Queryable,
  id: string,
  changes: UserChanges,
): Promise<User | undefined> {
  if (!isRowId(id)) return undefined;
  if (changes.username !== undefined) checkUsername(changes.username);
  const roles = changes.roles === undefined ? null : checkRoles(changes.roles);
  const scopes = changes.scopes === undefined ? null : JSON.stringify(checkScopes(changes.scopes));
  const passwordHash =
    changes.password === undefined ? null : await hashPassword(checkPassword(changes.password));
  try {
    const { rows } = await queryable.query<User>(
      `UPDATE users SET
         username = coalesce($2, users.username),
         password_hash = coalesce($3, users.password_hash),
         roles = coalesce($4::text[], users.roles),
         scopes = coalesce($5::jsonb, users.scopes),
         disabled = coalesce($6, users.disabled),
         token_version = users.token_version
           + CASE WHEN $3::text IS NOT NULL OR ($6::boolean AND NOT users.disabled) THEN 1 ELSE 0 END,
         updated_at = now()
       WHERE users.id = $1
       RETURNING ${userColumns}`,
      [id, changes.username ?? null, passwordHash, roles, scopes, changes.disabled ?? null],
    );
    return rows[0];
  } catch (error) {
    throw conflictOnDuplicateName(error, changes.username ?? '');
  }
}

/** "Sign out everywhere": every token issued to the user so far is refused. Undefined: no such user. */
export async function revokeUserTokens(queryable: Queryable, id: string): Promise<User | undefined> {
  if (!isRowId(id)) return undefined;
  const { rows } = await queryable.query<User>(
    `UPDATE users SET token_version = users.token_version + 1, updated_at = now()
     WHERE users.id = $1 RETURNING ${userColumns}`,
    [id],
  );
  return rows[0];
}

/** After a login proved the password against a hash with old parameters; not an admin change. */
export async function replacePasswordHash(
  queryable: Queryable,
  id: string,
  passwordHash: string,
): Promise<void> {
  await queryable.query(`UPDATE users SET password_hash = $2 WHERE users.id = $1`, [id, passwordHash]);
}

/** True when a user was deleted. Their API keys stay, with `created_by` cleared. */
export async function deleteUser(queryable: Queryable, id: string): Promise<boolean> {
  if (!isRowId(id)) return false;
  const { rowCount } = await queryable.query(`DELETE FROM users WHERE users.id = $1`, [id]);
  return rowCount > 0;
}

export function isRowId(id: string): boolean {
  return /^[1-9]\d{0,17}$/.test(id);
}

export function checkRoles(values: readonly string[]): Role[] {
  const unknown = values.filter((value) => !(knownRoles as readonly string[]).includes(value));
  if (unknown.length > 0) {
    throw new BadRequestError(`Unknown role(s) ${unknown.join(', ')}; roles are ${knownRoles.join(', ')}`);
  }
  return [...new Set(values)] as Role[];
}

function checkUsername(username: string): void {
  if (!usernamePattern.test(username)) {
    throw new BadRequestError('A username is 1 to 100 letters, digits, dots, dashes, underscores or @');
  }
}

function checkPassword(password: string): string {
  if (password.length < minPasswordLength || password.length > maxPasswordLength) {
    throw new BadRequestError(
      `A password has ${minPasswordLength} to ${maxPasswordLength} characters, got ${password.length}`,
    );
  }
  return password;
}

function conflictOnDuplicateName(error: unknown, username: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' ? new ConflictError(`A user named "${username}" already exists`) : error;
}
