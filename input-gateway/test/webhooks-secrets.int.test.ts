import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createDatabase, type Database, type Queryable } from '@repopulse/core';
import {
  createTestDatabase,
  drainQueue,
  startTcpProxy,
  testLogger,
  waitFor,
  type TcpProxy,
  type TestDatabase,
} from '@repopulse/core/testing';
import {
  createGithubWebhookValidators,
  createWebhookSecretLookup,
  type GithubWebhookValidators,
} from '../src/webhooks/index.js';
import { deliver, githubExamples } from './webhook-deliveries.js';
import { insertSource, setSourceSecret } from './webhook-sources.js';
import { startWebhookTestGateway } from './webhook-test-gateway.js';

const logger = testLogger();

/** A clock the test moves by hand, so TTLs pass without sleeping. */
function manualClock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

/** The real database, counting the statements that reach it. */
function counting(database: Queryable) {
  const counter = { statements: 0 };
  const queryable: Queryable = {
    query(text, values) {
      counter.statements++;
      return database.query(text, values);
    },
  };
  return { queryable, counter };
}

function pushFor(fullName: string): string {
  const payload = structuredClone(githubExamples(['push'])[0]!.payload) as Record<string, unknown>;
  const [owner, name] = fullName.split('/');
  payload.repository = {
    ...(payload.repository as object),
    full_name: fullName,
    name,
    owner: { login: owner },
  };
  delete payload.organization;
  return JSON.stringify(payload);
}

describe('webhook secrets from the sources table (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let databaseProxy: TcpProxy;
  let databaseBehindProxy: Database;
  let validators: GithubWebhookValidators;
  let widgetsId: number;

  before(async () => {
    testDatabase = await createTestDatabase();
    const { database } = testDatabase;
    widgetsId = await insertSource(database, {
      kind: 'github-repo',
      target: 'Acme/Widgets',
      webhookSecret: 'repo-secret',
    });
    await insertSource(database, { kind: 'github-org', target: 'acme', webhookSecret: 'org-secret' });
    await insertSource(database, {
      kind: 'github-user',
      target: 'ACME',
      webhookSecret: 'user-secret',
      enabled: false,
    });
    await insertSource(database, {
      kind: 'git',
      target: 'https://git.example.org/acme/widgets.git',
      webhookSecret: 'git-secret',
    });
    await insertSource(database, { kind: 'github-repo', target: 'acme/gadgets' });
    const url = new URL(testDatabase.url);
    databaseProxy = await startTcpProxy(Number(url.port || 5432), url.hostname);
    url.port = String(databaseProxy.port);
    databaseBehindProxy = createDatabase({ url: url.toString(), logger, maxConnections: 2 });
    validators = createGithubWebhookValidators({
      push: { repository: 'object', commits: 'array', ref: 'string' },
    });
  });

  after(async () => {
    await databaseBehindProxy?.close();
    await databaseProxy?.close();
    await testDatabase?.drop();
  });

  test('offers the repository’s secret, its owner’s organisation and user secrets (even disabled), then the fallback', async () => {
    const lookup = createWebhookSecretLookup({
      database: testDatabase.database,
      fallbackSecret: 'fallback',
      cacheTtlMs: 60_000,
      logger,
    });
    const { candidates, complete } = await lookup.candidatesFor({
      repositoryFullName: 'acme/WIDGETS',
      owners: ['Acme', 'acme'],
    });
    assert.equal(complete, true);
    assert.deepEqual(candidates[0], { scope: 'repository', secret: 'repo-secret' });
    assert.deepEqual(
      new Set(candidates.slice(1, 3).map((candidate) => `${candidate.scope}:${candidate.secret}`)),
      new Set(['owner:org-secret', 'owner:user-secret']),
    );
    assert.deepEqual(candidates.slice(3), [{ scope: 'fallback', secret: 'fallback' }]);
    const stranger = await lookup.candidatesFor({
      repositoryFullName: 'acme/gadgets',
      owners: ['someone-else'],
    });
    assert.deepEqual(
      stranger.candidates,
      [{ scope: 'fallback', secret: 'fallback' }],
      'a source without a secret adds none',
    );
  });

  test('reads the sources once per TTL however many deliveries ask, and sees a changed secret after it', async () => {
    const clock = manualClock();
    const { queryable, counter } = counting(testDatabase.database);
    const lookup = createWebhookSecretLookup({
      database: queryable,
      fallbackSecret: null,
      cacheTtlMs: 30_000,
      logger,
      now: clock.now,
    });
    const subject = { repositoryFullName: 'acme/widgets', owners: [] };
    const secretsNow = async () =>
      (await lookup.candidatesFor(subject)).candidates.map((candidate) => candidate.secret);
    await Promise.all(Array.from({ length: 20 }, () => secretsNow()));
    for (let index = 0; index < 20; index++) assert.deepEqual(await secretsNow(), ['repo-secret']);
    assert.equal(counter.statements, 1);

    await setSourceSecret(testDatabase.database, widgetsId, 'rotated-secret');
    clock.advance(29_000);
    assert.deepEqual(await secretsNow(), ['repo-secret'], 'still cached');
    clock.advance(1_000);
    assert.deepEqual(await secretsNow(), ['rotated-secret']);
    assert.equal(counter.statements, 2);
    await setSourceSecret(testDatabase.database, widgetsId, 'repo-secret');
  });

  test('while the database is unreachable, answers from the last known secrets and the fallback, marked incomplete', async () => {
    const clock = manualClock();
    const lookup = createWebhookSecretLookup({
      database: databaseBehindProxy,
      fallbackSecret: 'fallback',
      cacheTtlMs: 1_000,
      retryAfterFailureMs: 500,
      logger,
      now: clock.now,
    });
    const subject = { repositoryFullName: 'acme/widgets', owners: [] };
    assert.equal((await lookup.candidatesFor(subject)).complete, true);
    databaseProxy.cut();
    try {
      clock.advance(1_000);
      const during = await lookup.candidatesFor(subject);
      assert.equal(during.complete, false);
      assert.deepEqual(
        during.candidates.map((candidate) => candidate.secret),
        ['repo-secret', 'fallback'],
      );
      const fresh = createWebhookSecretLookup({
        database: databaseBehindProxy,
        fallbackSecret: 'fallback',
        cacheTtlMs: 1_000,
        logger,
      });
      assert.deepEqual(await fresh.candidatesFor(subject), {
        candidates: [{ scope: 'fallback', secret: 'fallback' }],
        complete: false,
      });
    } finally {
      databaseProxy.restore();
    }
    clock.advance(500);
    assert.equal(
      (await lookup.candidatesFor(subject)).complete,
      true,
      'reads again once the retry delay passed',
    );
  });

  test('the endpoint keeps accepting deliveries signed with the fallback while the database is down, and answers 503 for the rest', async () => {
    const lookup = createWebhookSecretLookup({
      database: databaseBehindProxy,
      fallbackSecret: 'fallback',
      cacheTtlMs: 60_000,
      retryAfterFailureMs: 100,
      logger,
    });
    const gateway = await startWebhookTestGateway({ secrets: lookup, validators });
    try {
      databaseProxy.cut();
      const deliveryId = randomUUID();
      const viaFallback = await deliver(gateway.base, {
        event: 'push',
        body: pushFor('acme/widgets'),
        deliveryId,
        secret: 'fallback',
      });
      assert.equal(viaFallback.status, 202);
      const viaSource = await deliver(gateway.base, {
        event: 'push',
        body: pushFor('acme/widgets'),
        secret: 'repo-secret',
      });
      assert.equal(viaSource.status, 503);
      assert.equal(viaSource.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.ok(Number(viaSource.headers.get('retry-after')) > 0);
      const unsigned = await deliver(gateway.base, {
        event: 'push',
        body: pushFor('acme/widgets'),
        signature: null,
      });
      assert.equal(unsigned.status, 401, 'no signature is refused whatever the database says');

      databaseProxy.restore();
      const laterId = randomUUID();
      await waitFor(
        async () =>
          (
            await deliver(gateway.base, {
              event: 'push',
              body: pushFor('acme/widgets'),
              deliveryId: laterId,
              secret: 'repo-secret',
            })
          ).status === 202,
        { timeoutMs: 10_000, intervalMs: 150, what: 'the source secret to verify again' },
      );
      const ids = (await drainQueue(gateway.queue)).map((message) => message.messageId);
      assert.deepEqual(ids, [deliveryId, laterId]);
    } finally {
      databaseProxy.restore();
      await gateway.close();
    }
  });

  test('with no fallback secret, a repository without a source secret has no way in: 401', async () => {
    const lookup = createWebhookSecretLookup({
      database: testDatabase.database,
      fallbackSecret: null,
      cacheTtlMs: 60_000,
      logger,
    });
    const gateway = await startWebhookTestGateway({ secrets: lookup, validators });
    try {
      for (const secret of ['', 'fallback', 'repo-secret']) {
        const response = await deliver(gateway.base, {
          event: 'push',
          body: pushFor('acme/gadgets'),
          secret,
        });
        assert.equal(response.status, 401, `signed with "${secret}"`);
      }
      const viaSource = await deliver(gateway.base, {
        event: 'push',
        body: pushFor('acme/widgets'),
        secret: 'repo-secret',
      });
      assert.equal(viaSource.status, 202);
      assert.equal((await drainQueue(gateway.queue)).length, 1);
    } finally {
      await gateway.close();
    }
  });
});
