import {
  createRouter,
  compileValidator,
  ConflictError,
  createUser,
  deleteUser,
  findUserById,
  jsonBody,
  listUsers,
  NotFoundError,
  recordAudit,
  revokeUserTokens,
  updateUser,
  type Database,
  type Queryable,
  type User,
} from '@repopulse/core';
import { type Router, type Request } from 'express';
import { adminChange, callerUserId } from '../http/admin-identity.js';
import { rowIdOf } from '../http/row-id.js';
import { selectLoginThrottles, type LoginThrottleNotice } from './login-throttle-store.js';
import { newUserSchema, userChangeSchema, type NewUserBody, type UserChangeBody } from './user-schema.js';

const bodyLimitBytes = 16 * 1024;

function userView(user: User, throttle: LoginThrottleNotice | undefined) {
  return {
    id: user.id,
    username: user.username,
    roles: user.roles,
    scopes: user.scopes,
    disabled: user.disabled,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    loginThrottle: throttle
      ? {
          since: throttle.since.toISOString(),
          until: throttle.until.toISOString(),
          refusedAttempts: throttle.refusedAttempts,
        }
      : null,
  };
}

async function viewsOf(queryable: Queryable, users: readonly User[]) {
  const throttles = await selectLoginThrottles(
    queryable,
    users.map((user) => user.username),
  );
  return users.map((user) => userView(user, throttles.get(user.username.toLowerCase())));
}

/** An admin cannot lock themselves out: the last admin doing so would leave nobody to undo it. */
function refuseSelfLockout(request: Request, id: string, change: UserChangeBody | 'delete'): void {
  if (callerUserId(request) !== id) return;
  if (change === 'delete') throw new ConflictError('You cannot delete yourself; another admin can');
  if (change.roles && !change.roles.includes('admin'))
    throw new ConflictError('You cannot take the admin role from yourself; another admin can');
  if (change.disabled === true) throw new ConflictError('You cannot disable yourself; another admin can');
}

/**
 * `GET|POST /api/users`, `PATCH|DELETE /api/users/{id}`, `POST /api/users/{id}/sign-out`. Every change
 * reaches every permission-proxy replica at once (migration 0017 notifies them); a new password, a
 * disable and signing out everywhere also end the user's sessions (their token version moves on).
 */
export function usersRoutes(options: { database: Database }): Router {
  const { database } = options;
  const validateNew = compileValidator<NewUserBody>(newUserSchema, 'The user');
  const validateChange = compileValidator<UserChangeBody>(userChangeSchema, 'The change');
  const router = createRouter();

  router.get('/api/users', async (_request, response) => {
    response.json({ users: await viewsOf(database, (await listUsers(database)).reverse()) });
  });

  router.post('/api/users', ...jsonBody({ limit: bodyLimitBytes }), async (request, response) => {
    const body = validateNew(request.body);
    const user = await database.transaction(async (transaction) => {
      const created = await createUser(transaction, body);
      await recordAudit(transaction, [
        adminChange(request, 'user.create', `user:${created.id}`, {
          username: created.username,
          roles: created.roles,
        }),
      ]);
      return created;
    });
    response
      .status(201)
      .location(`/api/users/${user.id}`)
      .json((await viewsOf(database, [user]))[0]);
  });

  router.patch('/api/users/:id', ...jsonBody({ limit: bodyLimitBytes }), async (request, response) => {
    const id = rowIdOf(request, 'user');
    const change = validateChange(request.body);
    refuseSelfLockout(request, id, change);
    const user = await database.transaction(async (transaction) => {
      const updated = await updateUser(transaction, id, change);
      if (!updated) throw new NotFoundError(`There is no user ${id}`);
      const { password, ...shown } = change;
      await recordAudit(transaction, [
        adminChange(request, 'user.update', `user:${id}`, {
          username: updated.username,
          ...shown,
          // Never the password itself, only that it changed.
          ...(password === undefined ? {} : { passwordChanged: true }),
        }),
      ]);
      return updated;
    });
    response.json((await viewsOf(database, [user]))[0]);
  });

  // Signing yourself out everywhere is allowed: it ends this session too, and a new login starts another.
  router.post('/api/users/:id/sign-out', async (request, response) => {
    const id = rowIdOf(request, 'user');
    await database.transaction(async (transaction) => {
      const user = await revokeUserTokens(transaction, id);
      if (!user) throw new NotFoundError(`There is no user ${id}`);
      await recordAudit(transaction, [
        adminChange(request, 'user.sign-out', `user:${id}`, { username: user.username }),
      ]);
    });
    response.status(204).end();
  });

  router.delete('/api/users/:id', async (request, response) => {
    const id = rowIdOf(request, 'user');
    refuseSelfLockout(request, id, 'delete');
    await database.transaction(async (transaction) => {
      const user = await findUserById(transaction, id);
      if (!user || !(await deleteUser(transaction, id))) throw new NotFoundError(`There is no user ${id}`);
      await recordAudit(transaction, [
        adminChange(request, 'user.delete', `user:${id}`, { username: user.username }),
      ]);
    });
    response.status(204).end();
  });

  return router;
}
