import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createCrawlHostAllowlistReader,
  createCrawlTargetPolicy,
  type CrawlRepositoryPayload,
  type Role,
} from '@repopulse/core';
import {
  createTestDatabase,
  drainQueue,
  fixedHostResolver,
  proxiedFetch,
  queueDepth,
  testLogger,
  type TestCaller,
  type TestDatabase,
} from '@repopulse/core/testing';
import type { CrawlTargetCheckOptions } from '../src/crawl-requests/crawl-target-check.js';
import { selectGitSource } from '../src/crawl-requests/select-git-source.js';
import { startGatewayUnderTest, type GatewayUnderTest } from './gateway-under-test.js';

// No DNS here: names resolve through this table, as the system resolver would answer them.
const resolveHost = fixedHostResolver({
  'github.com': ['140.82.121.4'],
  'gitlab.com': ['172.65.251.78'],
  'codeberg.org': ['217.197.84.140'],
  'git.example.org': ['93.184.215.14'],
  'rebinding.example.org': ['93.184.215.14', '127.0.0.1'],
  'intranet.example.org': ['10.20.30.40'],
});

describe('POST /v1/crawl-requests (real RabbitMQ, PostgreSQL allowlist)', () => {
  let testDatabase: TestDatabase;
  let gateway: GatewayUnderTest;
  let localGateway: GatewayUnderTest;
  const localSourcePath = '/srv/git/acme/demo.git';

  function crawlTargets(allowLocal: boolean): CrawlTargetCheckOptions {
    const { database } = testDatabase;
    const allowedHosts = createCrawlHostAllowlistReader({ database, cacheTtlMs: 0, logger: testLogger() });
    return {
      policy: createCrawlTargetPolicy({ allowLocal, allowedHosts, resolveHost }),
      allowedHosts,
      allowLocal,
      findGitSource: (target) => selectGitSource(database, target),
    };
  }

  before(async () => {
    testDatabase = await createTestDatabase();
    await testDatabase.database.query(
      `INSERT INTO crawl_host_allowlist (host) VALUES ('rebinding.example.org'), ('intranet.example.org')`,
    );
    await testDatabase.database.query(`INSERT INTO sources (kind, target) VALUES ('git', $1)`, [
      localSourcePath,
    ]);
    gateway = await startGatewayUnderTest({ crawlTargets: crawlTargets(false) });
    localGateway = await startGatewayUnderTest({ crawlTargets: crawlTargets(true) });
  });
  after(async () => {
    await gateway.stop();
    await localGateway.stop();
    await testDatabase.drop();
  });

  /** As the permission proxy forwards it, for the caller `identity` describes in its header form. */
  const request = (body: unknown, identity: Record<string, string> = {}, to = gateway) => {
    const principal = identity['x-user-id'];
    const caller: TestCaller | undefined = principal
      ? { principal, roles: (identity['x-user-roles'] ?? '').split(',').filter(Boolean) as Role[] }
      : undefined;
    return proxiedFetch(`${to.base}/v1/crawl-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      caller,
    });
  };
  const admin = { 'x-user-id': 'user:1', 'x-user-roles': 'admin' };
  const supplier = { 'x-user-id': 'api-key:7', 'x-user-roles': 'supplier' };

  /** Publishes a known-good request and drains the queue: everything refused before it is absent. */
  async function publishedBeforeMarker(to: GatewayUnderTest): Promise<CrawlRepositoryPayload[]> {
    const marker = await request({ kind: 'repository', target: 'marker/marker' }, supplier, to);
    assert.equal(marker.status, 202);
    const messages = await drainQueue(to.broker.names.queue('crawl.repo'));
    const payloads = messages.map((message) => (message.json as { payload: CrawlRepositoryPayload }).payload);
    assert.equal(payloads.at(-1)?.owner, 'marker', 'the marker arrived');
    return payloads.slice(0, -1);
  }

  async function assertRefused(
    body: object,
    reason: RegExp,
    headers: Record<string, string> = supplier,
    to = gateway,
  ): Promise<void> {
    const response = await request(body, headers, to);
    assert.equal(response.status, 422, JSON.stringify(body));
    assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
    const problem = (await response.json()) as { errors: Array<{ path: string; message: string }> };
    assert.equal(problem.errors[0]?.path, '/target', JSON.stringify(body));
    assert.match(problem.errors[0]!.message, reason, JSON.stringify(body));
  }

  test('publishes crawl.repo for owner/name on GitHub, with who asked', async () => {
    const response = await request(
      { kind: 'repository', target: 'Acme/Widgets' },
      { 'x-user-id': 'user:1', 'x-user-roles': 'admin' },
    );
    assert.equal(response.status, 202);
    const body = (await response.json()) as { id: string; type: string };
    assert.equal(body.type, 'crawl.repo');
    const [message] = await drainQueue(gateway.broker.names.queue('crawl.repo'));
    assert.equal(message!.messageId, body.id);
    assert.deepEqual((message!.json as { payload: unknown }).payload, {
      host: 'github.com',
      owner: 'Acme',
      name: 'Widgets',
      requestedBy: 'user:1',
    });
  });

  test('publishes crawl.repo for an https URL of an allowed forge other than GitHub, as checked', async () => {
    const response = await request({ kind: 'repository', target: 'HTTPS://GitLab.com./team/app.git' });
    assert.equal(response.status, 202);
    const [message] = await drainQueue(gateway.broker.names.queue('crawl.repo'));
    assert.deepEqual((message!.json as { payload: unknown }).payload, {
      host: 'gitlab.com',
      owner: 'team',
      name: 'app',
      gitUrl: 'https://gitlab.com/team/app.git',
    });
  });

  test('publishes crawl.org for an organisation', async () => {
    const response = await request({ kind: 'organization', target: 'acme-corp' });
    assert.equal(response.status, 202);
    const [message] = await drainQueue(gateway.broker.names.queue('crawl.org'));
    assert.deepEqual((message!.json as { payload: unknown }).payload, {
      host: 'github.com',
      login: 'acme-corp',
    });
  });

  test('refuses what names nothing to crawl with 422 and the failing path, publishing nothing', async () => {
    for (const body of [
      { kind: 'repository', target: 'not a repository' },
      { kind: 'organization', target: '-bad-login-' },
      { kind: 'organization', target: 'acme', host: 'gitlab.com' },
      { kind: 'galaxy', target: 'acme' },
      { target: 'acme/widgets' },
    ]) {
      const response = await request(body);
      assert.equal(response.status, 422, JSON.stringify(body));
      const problem = (await response.json()) as { errors: Array<{ path: string }> };
      assert.ok(problem.errors.length > 0);
    }
    assert.equal(await queueDepth(gateway.broker.names.queue('crawl.repo')), 0);
    assert.equal(await queueDepth(gateway.broker.names.queue('crawl.org')), 0);
  });

  test('refuses every target that is not https to an allowed public host, naming why, publishing nothing', async () => {
    const hostile: Array<[string, RegExp]> = [
      ['file:///etc/acme/widget', /uses file/],
      ['/var/lib/repopulse/git/acme/widget.git', /uses file/],
      [localSourcePath, /uses file/],
      ['http://github.com/acme/widget.git', /uses http/],
      ['ssh://git@github.com/acme/widget.git', /uses ssh/],
      ['git@github.com:acme/widget.git', /uses ssh/],
      ['git://github.com/acme/widget.git', /uses git/],
      ['ext::sh -c touch% /tmp/pwned', /remote-helper/],
      ['https://127.0.0.1/acme/widget.git', /names the address/],
      ['https://0x7f.1/acme/widget.git', /names the address/],
      ['https://2130706433/acme/widget.git', /names the address/],
      ['https://[::ffff:127.0.0.1]/acme/widget.git', /names the address/],
      ['https://169.254.169.254/latest/meta-data', /names the address/],
      ['https://localhost./acme/widget.git', /names this machine/],
      ['https://github.com@127.0.0.1/acme/widget.git', /user name or password/],
      ['https://git.example.org/acme/widget.git', /not on the crawl host allowlist/],
      ['https://rebinding.example.org/acme/widget.git', /loopback address \(127\.0\.0\.1\)/],
      ['https://intranet.example.org/acme/widget.git', /private address \(10\.20\.30\.40\)/],
      ['https://github.com:22/acme/widget.git', /port 22/],
    ];
    for (const [target, reason] of hostile) await assertRefused({ kind: 'repository', target }, reason);
    // owner/name on a host is the https URL of that host, checked the same way.
    await assertRefused(
      { kind: 'repository', target: 'acme/widget', host: '127.0.0.1' },
      /names the address/,
    );
    await assertRefused(
      { kind: 'repository', target: 'acme/widget', host: 'intranet.example.org' },
      /private/,
    );
    await assertRefused({ kind: 'repository', target: 'acme/widget', host: 'git.example.org' }, /allowlist/);
    assert.deepEqual(await publishedBeforeMarker(gateway), []);
  });

  test('GitHub repositories and organisations by name need github.com on the allowlist', async () => {
    await testDatabase.database.query(`DELETE FROM crawl_host_allowlist WHERE host = 'github.com'`);
    try {
      await assertRefused(
        { kind: 'repository', target: 'acme/widget' },
        /"github\.com" is not on the crawl host allowlist/,
      );
      await assertRefused(
        { kind: 'organization', target: 'acme' },
        /"github\.com" is not on the crawl host allowlist/,
      );
    } finally {
      await testDatabase.database.query(`INSERT INTO crawl_host_allowlist (host) VALUES ('github.com')`);
    }
    assert.equal(await queueDepth(gateway.broker.names.queue('crawl.org')), 0);
    assert.deepEqual(await publishedBeforeMarker(gateway), []);
  });

  test('a host admins add to the allowlist is taken; one they remove is refused again', async () => {
    const target = 'https://git.example.org/acme/widget.git';
    await testDatabase.database.query(`INSERT INTO crawl_host_allowlist (host) VALUES ('git.example.org')`);
    assert.equal((await request({ kind: 'repository', target })).status, 202);
    await testDatabase.database.query(`DELETE FROM crawl_host_allowlist WHERE host = 'git.example.org'`);
    await assertRefused({ kind: 'repository', target }, /allowlist/);
    const published = await publishedBeforeMarker(gateway);
    assert.deepEqual(
      published.map((payload) => payload.gitUrl),
      [target],
    );
  });

  test('without GIT_ALLOW_LOCAL, an admin gets no more than a supplier', async () => {
    await assertRefused({ kind: 'repository', target: localSourcePath }, /uses file/, admin);
    await assertRefused(
      { kind: 'repository', target: 'https://intranet.example.org/acme/widget.git' },
      /private/,
      admin,
    );
    assert.deepEqual(await publishedBeforeMarker(gateway), []);
  });

  test("with GIT_ALLOW_LOCAL=1, an admin may crawl an admin-added source's local target, and it names that source", async () => {
    const response = await request({ kind: 'repository', target: localSourcePath }, admin, localGateway);
    assert.equal(response.status, 202);
    const [payload] = await publishedBeforeMarker(localGateway);
    const { rows } = await testDatabase.database.query<{ id: string }>(
      `SELECT id::text AS id FROM sources WHERE target = $1`,
      [localSourcePath],
    );
    assert.deepEqual(payload, {
      host: 'local',
      owner: 'acme',
      name: 'demo',
      gitUrl: localSourcePath,
      sourceId: rows[0]!.id,
      requestedBy: 'user:1',
    });
  });

  test('with GIT_ALLOW_LOCAL=1, local targets stay refused for suppliers and for targets no admin added', async () => {
    await assertRefused({ kind: 'repository', target: localSourcePath }, /uses file/, supplier, localGateway);
    await assertRefused(
      { kind: 'repository', target: '/srv/git/other/repository.git' },
      /added as a git source/,
      admin,
      localGateway,
    );
    await assertRefused(
      { kind: 'repository', target: 'ext::sh -c touch% /tmp/pwned' },
      /remote-helper/,
      admin,
      localGateway,
    );
    assert.deepEqual(await publishedBeforeMarker(localGateway), []);
  });
});
