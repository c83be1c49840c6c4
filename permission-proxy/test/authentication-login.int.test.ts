import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import argon2 from 'argon2';
import {
  ConfigError,
  createApiKey,
  createUser,
  findUserForLogin,
  updateUser,
  type Queryable,
} from '@repopulse/core';
import { createTestDatabase, testLogger, type TestDatabase } from '@repopulse/core/testing';
import jwt from 'jsonwebtoken';
import { ensureFirstAdmin, loginDelayMs, type LoginThrottleSettings } from '../src/authentication/index.js';
import { capturedLogger } from '@repopulse/core/testing';
import { databaseAuditTrail, startAuthTestApp, type AuthTestApp } from './auth-test-app.js';

const throttle: LoginThrottleSettings = {
  threshold: 2,
  windowSeconds: 900,
  baseDelayMs: 300,
  maxDelayMs: 5_000,
  guessWindowSeconds: 60,
  guessesPerAccount: 10,
  guessesPerAddress: 20,
};

interface LoginAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
  requestId: string;
  elapsedMs: number;
}

/** POST /auth/token as the client at `address` (the app trusts X-Forwarded-For from loopback, as behind Traefik). */
async function logIn(app: AuthTestApp, body: unknown, address: string): Promise<LoginAnswer> {
  const requestId = randomUUID();
  const started = performance.now();
  const response = await fetch(`${app.base}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address, 'x-request-id': requestId },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  return {
    status: response.status,
    body: answer,
    headers: response.headers,
    requestId,
    elapsedMs: performance.now() - started,
  };
}

async function failuresOf(database: Queryable, subject: string): Promise<number> {
  const { rows } = await database.query<{ failures: number }>(
    'SELECT failures FROM login_failures WHERE subject = $1',
    [subject],
  );
  return rows[0]?.failures ?? 0;
}

async function auditRowsFor(app: AuthTestApp, database: Queryable, requestId: string) {
  await app.audit.flush();
  const { rows } = await database.query<Record<string, unknown>>(
    `SELECT actor_kind, actor_id, actor_name, action, outcome, details, request_id, address
     FROM audit_log WHERE request_id = $1`,
    [requestId],
  );
  return rows;
}

/** The wait the throttle owes an attempt made now, from the counts in the table. */
async function owedDelayMs(database: Queryable, username: string, address: string): Promise<number> {
  const failures = Math.max(
    await failuresOf(database, `user:${username.toLowerCase()}`),
    await failuresOf(database, `address:${address}`),
  );
  return loginDelayMs(failures, throttle);
}

describe('POST /auth/token and GET /auth/me (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let app: AuthTestApp;
  let replica: AuthTestApp;

  before(async () => {
    testDatabase = await createTestDatabase();
    app = await startAuthTestApp({ database: testDatabase.database, login: throttle });
    replica = await startAuthTestApp({ database: testDatabase.database, login: throttle });
    const { database } = testDatabase;
    await createUser(database, { username: 'Ann', password: 'ann-password-1', roles: ['analyst'] });
    await createUser(database, { username: 'dora', password: 'dora-password', roles: ['analyst'] });
    await createUser(database, { username: 'guessed', password: 'guessed-password', roles: ['supplier'] });
    await createUser(database, { username: 'eve', password: 'eve-password-1', roles: ['supplier'] });
    const disabled = await createUser(database, {
      username: 'dis',
      password: 'dis-password',
      roles: ['analyst'],
    });
    await updateUser(database, disabled.id, { disabled: true });
  });

  after(async () => {
    await app?.stop();
    await replica?.stop();
    await testDatabase?.drop();
  });

  test('answers a short-lived Bearer token for the right password, which /auth/me then accepts', async () => {
    const answer = await logIn(app, { username: 'ann', password: 'ann-password-1' }, '198.51.100.1');
    assert.equal(answer.status, 200);
    assert.equal(answer.body.token_type, 'Bearer');
    assert.equal(answer.body.expires_in, 900);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    const claims = jwt.decode(String(answer.body.access_token)) as jwt.JwtPayload;
    const ann = await findUserForLogin(testDatabase.database, 'ann');
    assert.equal(claims.sub, ann!.id);
    const me = await fetch(`${app.base}/auth/me`, {
      headers: { authorization: `Bearer ${String(answer.body.access_token)}` },
    });
    assert.equal(me.status, 200);
    assert.deepEqual(await me.json(), {
      kind: 'user',
      id: ann!.id,
      name: 'Ann',
      roles: ['analyst'],
      scopes: {},
    });
    const audit = await auditRowsFor(app, testDatabase.database, answer.requestId);
    assert.equal(audit.length, 1);
    assert.deepEqual(
      { ...audit[0], details: undefined },
      {
        actor_kind: 'user',
        actor_id: ann!.id,
        actor_name: 'Ann',
        action: 'login',
        outcome: 'success',
        details: undefined,
        request_id: answer.requestId,
        address: '198.51.100.1',
      },
    );
  });

  test('answers the same 401 for an unknown user, a wrong password and a disabled user, and audits each', async () => {
    const attempts = [
      { body: { username: 'nobody', password: 'whatever-password' }, reason: 'unknown-user' },
      { body: { username: 'dora', password: 'not-doras-password' }, reason: 'wrong-password' },
      { body: { username: 'dis', password: 'dis-password' }, reason: 'disabled' },
    ];
    const details = new Set<unknown>();
    for (const [index, attempt] of attempts.entries()) {
      const answer = await logIn(app, attempt.body, `198.51.100.${10 + index}`);
      assert.equal(answer.status, 401, attempt.reason);
      assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
      details.add(answer.body.detail);
      const [row, ...others] = await auditRowsFor(app, testDatabase.database, answer.requestId);
      assert.equal(others.length, 0);
      assert.equal(row!.action, 'login');
      assert.equal(row!.outcome, 'failure');
      assert.equal(row!.address, `198.51.100.${10 + index}`);
      assert.equal((row!.details as { reason: string }).reason, attempt.reason);
      assert.equal(row!.actor_kind, attempt.reason === 'unknown-user' ? 'anonymous' : 'user');
      assert.equal(row!.actor_name, attempt.body.username);
    }
    assert.deepEqual([...details], ['Invalid username or password']);
    assert.equal(await failuresOf(testDatabase.database, 'user:nobody'), 1);
    assert.equal(await failuresOf(testDatabase.database, 'user:dora'), 1);
    assert.equal(await failuresOf(testDatabase.database, 'address:198.51.100.10'), 1);
  });

  test('refuses malformed login bodies without counting them as failed logins', async () => {
    const address = '198.51.100.20';
    const cases: Array<[unknown, number]> = [
      [{ username: 'ann' }, 422],
      [{ username: 'ann', password: 'ann-password-1', extra: true }, 422],
      [{ username: '', password: 'x' }, 422],
      [{ username: 'ann', password: 42 }, 422],
      ['{"username": "ann",', 400],
      [{ username: 'ann', password: 'x'.repeat(5_000) }, 413],
    ];
    for (const [body, status] of cases) {
      assert.equal((await logIn(app, body, address)).status, status, JSON.stringify(body).slice(0, 60));
    }
    const text = await fetch(`${app.base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'username=ann&password=ann-password-1',
    });
    assert.equal(text.status, 415);
    assert.equal(await failuresOf(testDatabase.database, `address:${address}`), 0);
  });

  test('GET /auth/me answers 401 without credentials and the key’s identity for an API key', async () => {
    const anonymous = await fetch(`${app.base}/auth/me`);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const key = await createApiKey(testDatabase.database, { name: 'me-key', role: 'supplier' });
    const me = await fetch(`${app.base}/auth/me`, { headers: { 'x-api-key': key.key } });
    assert.deepEqual(await me.json(), {
      kind: 'api-key',
      id: key.id,
      name: 'me-key',
      roles: ['supplier'],
      scopes: {},
    });
  });

  test('slows down attempts on a user after the threshold, doubling the wait, and a success clears the count', async () => {
    const { database } = testDatabase;
    const address = '198.51.100.30';
    const wrong = { username: 'guessed', password: 'wrong-password' };
    for (let attempt = 0; attempt < throttle.threshold; attempt++) {
      assert.equal(await owedDelayMs(database, 'guessed', address), 0);
      assert.equal((await logIn(app, wrong, address)).status, 401);
    }
    assert.equal(await failuresOf(database, 'user:guessed'), throttle.threshold);
    for (const expectedDelayMs of [300, 600]) {
      assert.equal(await owedDelayMs(database, 'guessed', address), expectedDelayMs);
      const answer = await logIn(app, wrong, address);
      assert.equal(answer.status, 401);
      // Lower bounds only: a timer never fires early by more than a tick, a busy machine only adds time.
      assert.ok(
        answer.elapsedMs >= expectedDelayMs * 0.9,
        `waited ${answer.elapsedMs} ms, owed ${expectedDelayMs}`,
      );
      const [row] = await auditRowsFor(app, database, answer.requestId);
      assert.equal((row!.details as { delayMs: number }).delayMs, expectedDelayMs);
    }
    assert.equal(await failuresOf(database, 'user:guessed'), 4);
    // The right password is slowed down like a wrong one (else answer time would tell them apart) …
    const owed = await owedDelayMs(database, 'guessed', address);
    assert.equal(owed, 1_200);
    const success = await logIn(app, { username: 'GUESSED', password: 'guessed-password' }, address);
    assert.equal(success.status, 200);
    assert.ok(success.elapsedMs >= owed * 0.9, `waited ${success.elapsedMs} ms, owed ${owed}`);
    // … and clears the user's count, while the address keeps its own.
    assert.equal(await failuresOf(database, 'user:guessed'), 0);
    assert.equal(await failuresOf(database, `address:${address}`), 4);
  });

  test('slows down one address guessing at many users, on every replica sharing the database', async () => {
    const { database } = testDatabase;
    const address = '198.51.100.40';
    for (let user = 0; user < throttle.threshold; user++) {
      assert.equal(
        (await logIn(app, { username: `victim${user}`, password: 'guess-one' }, address)).status,
        401,
      );
    }
    const owed = await owedDelayMs(database, 'someone-new', address);
    assert.equal(owed, throttle.baseDelayMs);
    const onReplica = await logIn(replica, { username: 'someone-new', password: 'guess-two' }, address);
    assert.equal(onReplica.status, 401);
    assert.ok(onReplica.elapsedMs >= owed * 0.9, `waited ${onReplica.elapsedMs} ms, owed ${owed}`);
    assert.equal(await failuresOf(database, `address:${address}`), throttle.threshold + 1);
    assert.equal(await failuresOf(database, 'user:someone-new'), 1);
  });

  test('forgets failures older than the window', async () => {
    const { database } = testDatabase;
    const address = '198.51.100.50';
    for (let attempt = 0; attempt < throttle.threshold + 1; attempt++) {
      await logIn(app, { username: 'eve', password: 'wrong-password' }, address);
    }
    assert.equal(await failuresOf(database, 'user:eve'), throttle.threshold + 1);
    await database.query(
      `UPDATE login_failures SET last_failure_at = now() - make_interval(secs => $1 + 1)
       WHERE subject = any($2::text[])`,
      [throttle.windowSeconds, ['user:eve', `address:${address}`]],
    );
    assert.equal(
      await owedDelayMs(database, 'eve', address),
      loginDelayMs(3, throttle),
      'the raw count is still there',
    );
    await logIn(app, { username: 'eve', password: 'wrong-again' }, address);
    assert.equal(await failuresOf(database, 'user:eve'), 1);
    assert.equal(await failuresOf(database, `address:${address}`), 1);
  });

  test('evaluates at most the account’s guesses in the window whatever the addresses and replicas, then answers 429 with Retry-After without checking the password', async () => {
    const { database } = testDatabase;
    await createUser(database, { username: 'target', password: 'target-password', roles: ['analyst'] });
    const answers = await Promise.all(
      Array.from({ length: throttle.guessesPerAccount + 4 }, (_, index) =>
        logIn(
          index % 2 === 0 ? app : replica,
          { username: 'target', password: `guess-${index}` },
          `203.0.113.${index + 1}`,
        ),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    assert.deepEqual(statuses, [
      ...Array<number>(throttle.guessesPerAccount).fill(401),
      ...Array<number>(4).fill(429),
    ]);
    assert.equal(await failuresOf(database, 'user:target'), throttle.guessesPerAccount);
    const refused = answers.find((answer) => answer.status === 429)!;
    assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= throttle.guessWindowSeconds, `Retry-After: ${retryAfter}`);
    assert.match(
      String(refused.body.detail),
      /^Too many wrong passwords for this username: try again in \d+ s$/,
    );
    // The right password is not even checked now: a guesser cannot tell a hit from a miss.
    const right = await logIn(replica, { username: 'target', password: 'target-password' }, '203.0.113.99');
    assert.equal(right.status, 429);
    assert.equal(await failuresOf(database, 'user:target'), throttle.guessesPerAccount);
    await app.audit.flush();
    await replica.audit.flush();
    const { rows } = await database.query<{ target: string; actor_name: string; outcome: string }>(
      `SELECT target, actor_name, outcome FROM audit_log WHERE action = 'login.throttled'`,
    );
    assert.deepEqual(rows, [{ target: 'user:target', actor_name: 'target', outcome: 'denied' }]);
  });

  test('admits guesses at an account again once its window has passed', async () => {
    const { database } = testDatabase;
    await database.query(
      `UPDATE login_guesses SET guessed_at = guessed_at - make_interval(secs => $1) WHERE subject = 'user:target'`,
      [throttle.guessWindowSeconds],
    );
    const answer = await logIn(app, { username: 'target', password: 'target-password' }, '203.0.113.100');
    assert.equal(answer.status, 200);
  });

  test('gives a right password’s guess back: logins that succeed never use up an account’s or an address’s budget', async () => {
    const address = '198.51.100.70';
    await createUser(testDatabase.database, {
      username: 'regular',
      password: 'regular-password',
      roles: ['analyst'],
    });
    for (let login = 0; login < throttle.guessesPerAddress + 2; login++) {
      const answer = await logIn(app, { username: 'regular', password: 'regular-password' }, address);
      assert.equal(answer.status, 200, `login ${login + 1}`);
    }
    const { rows } = await testDatabase.database.query<{ count: number }>(
      `SELECT count(*)::integer AS count FROM login_guesses WHERE subject = any($1::text[])`,
      [['user:regular', `address:${address}`]],
    );
    assert.equal(rows[0]!.count, 0);
  });

  test('stores a fresh hash when a password was kept with older parameters', async () => {
    const { database } = testDatabase;
    const user = await createUser(database, {
      username: 'old-hash',
      password: 'old-hash-password',
      roles: [],
    });
    const oldHash = await argon2.hash('old-hash-password', {
      type: argon2.argon2id,
      memoryCost: 8_192,
      timeCost: 1,
    });
    await database.query('UPDATE users SET password_hash = $2 WHERE id = $1', [user.id, oldHash]);
    const answer = await logIn(app, { username: 'old-hash', password: 'old-hash-password' }, '198.51.100.60');
    assert.equal(answer.status, 200);
    const stored = await findUserForLogin(database, 'old-hash');
    assert.notEqual(stored!.passwordHash, oldHash);
    assert.ok(stored!.passwordHash.includes('m=19456'));
  });
});

describe('the first admin', () => {
  let testDatabase: TestDatabase;

  before(async () => {
    testDatabase = await createTestDatabase();
  });

  after(async () => {
    await testDatabase?.drop();
  });

  test('refuses to start without ADMIN_PASSWORD in production while no admin exists, or with one too short', async () => {
    const audit = databaseAuditTrail(testDatabase.database);
    await assert.rejects(
      ensureFirstAdmin({
        database: testDatabase.database,
        password: null,
        production: true,
        audit,
        logger: testLogger(),
      }),
      (error: unknown) => error instanceof ConfigError && error.variable === 'ADMIN_PASSWORD',
    );
    await assert.rejects(
      ensureFirstAdmin({
        database: testDatabase.database,
        password: 'short',
        production: false,
        audit,
        logger: testLogger(),
      }),
      (error: unknown) => error instanceof ConfigError && error.variable === 'ADMIN_PASSWORD',
    );
  });

  test('in development, creates admin with a generated password printed once, which then logs in', async () => {
    const { database } = testDatabase;
    const audit = databaseAuditTrail(database);
    const { logger, lines } = capturedLogger();
    await ensureFirstAdmin({ database, password: null, production: false, audit, logger });
    await ensureFirstAdmin({ database, password: null, production: false, audit, logger });
    await ensureFirstAdmin({ database, password: 'another-password', production: true, audit, logger });
    const printed = (await lines()).filter((line) => 'generatedAdminPassword' in line);
    assert.equal(printed.length, 1);
    const app = await startAuthTestApp({ database });
    try {
      const answer = await logIn(
        app,
        { username: 'admin', password: String(printed[0]!.generatedAdminPassword) },
        '203.0.113.1',
      );
      assert.equal(answer.status, 200);
      const me = await fetch(`${app.base}/auth/me`, {
        headers: { authorization: `Bearer ${String(answer.body.access_token)}` },
      });
      assert.deepEqual(((await me.json()) as { roles: string[] }).roles, ['admin']);
    } finally {
      await app.stop();
    }
    await audit.flush();
    const { rows } = await database.query<{ actor_kind: string; target: string }>(
      `SELECT actor_kind, target FROM audit_log WHERE action = 'user.create'`,
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.actor_kind, 'system');
    assert.match(rows[0]!.target, /^user:\d+$/);
  });
});
