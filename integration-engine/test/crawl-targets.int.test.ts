import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createEnvelope, type BrokerConnection, type CrawlRepositoryPayload } from '@repopulse/core';
import {
  connectTestBroker,
  createTestDatabase,
  fixedHostResolver,
  removeTestTopology,
  testLogger,
  testQueuePrefix,
  waitFor,
  type TestDatabase,
} from '@repopulse/core/testing';
import { Registry } from 'prom-client';
import { createEngine, type Engine } from '../src/engine.js';
import { generatedRepository } from './support/generated-history.js';
import { startGitHttpServer, type GitHttpServer } from './support/git-http-server.js';
import { runGit, temporaryDirectory } from './support/git-repositories.js';

const retryDelaysMs = [100];
const commits = 40;

interface Run {
  status: string;
  error: string | null;
  done: number;
  failed: number;
}

/**
 * A forge on 127.0.0.1 that the policy is told to count as public (names resolve through a fixed table:
 * `forge.test` and `mirror.test` to it, `private.test` to 127.0.0.2), and a second server on 127.0.0.2,
 * loopback like any private address, that must never be reached.
 */
describe('crawl targets at clone time (real git over smart HTTP, RabbitMQ, PostgreSQL)', () => {
  const logger = testLogger();
  let testDatabase: TestDatabase;
  let root: string;
  let forge: GitHttpServer;
  let privateServer: GitHttpServer;
  let repositoryPath: string;
  const flipped = new Set<string>();
  const engines: Array<{ engine: Engine; broker: BrokerConnection; prefix: string }> = [];
  let strict: { broker: BrokerConnection };
  let allowingLocal: { broker: BrokerConnection };

  async function startEngine(allowLocal: boolean) {
    const prefix = testQueuePrefix();
    const broker = await connectTestBroker({ logger, prefix, retryDelaysMs, confirmTimeoutMs: 5_000 });
    const engine = createEngine({
      database: testDatabase.database,
      broker,
      logger,
      registry: new Registry(),
      prefetch: 2,
      maxAttempts: 2,
      retryDelaysMs,
      github: { apiUrl: 'http://127.0.0.1:9/unused', tokens: [] },
      gitCacheDir: join(root, `cache-${prefix}`),
      gitTargets: {
        allowLocal,
        resolveHost: fixedHostResolver({
          'forge.test': ['127.0.0.1'],
          'mirror.test': ['127.0.0.1'],
          'private.test': ['127.0.0.2'],
        }),
        publicAddressesForTests: ['127.0.0.1'],
      },
    });
    await engine.start();
    engines.push({ engine, broker, prefix });
    return { broker };
  }

  before(async () => {
    testDatabase = await createTestDatabase();
    root = await temporaryDirectory('crawl-targets');
    const generated = await generatedRepository({ commits });
    repositoryPath = join(root, 'acme', 'widget.git');
    await mkdir(join(root, 'acme'), { recursive: true });
    await runGit(['clone', '--quiet', '--bare', generated.path, repositoryPath]);
    await rm(generated.path, { recursive: true, force: true });

    privateServer = await startGitHttpServer({ root, address: '127.0.0.2' });
    forge = await startGitHttpServer({
      root,
      intercept(request, response) {
        const refs = '/info/refs?service=git-upload-pack';
        const redirect = (location: string) => {
          response.writeHead(302, { location }).end();
          return true;
        };
        if (request.url === `/moved/widget.git${refs}`) {
          return redirect(`http://mirror.test:${forge.port}/acme/widget.git${refs}`);
        }
        if (request.url === `/to-private/widget.git${refs}`) {
          return redirect(`http://127.0.0.2:${privateServer.port}/acme/widget.git${refs}`);
        }
        if (request.url === `/to-private-name/widget.git${refs}`) {
          return redirect(`http://private.test:${privateServer.port}/acme/widget.git${refs}`);
        }
        if (request.url === `/to-localhost/widget.git${refs}`) {
          return redirect(`http://localhost:${privateServer.port}/acme/widget.git${refs}`);
        }
        // The first look at /flip is answered as a forge would; every later one redirects to a private
        // address: what the pre-flight saw is not what git would be told.
        if (request.url.startsWith('/flip/widget.git/')) {
          if (flipped.has(request.host)) {
            return redirect(`http://127.0.0.2:${privateServer.port}/acme/widget.git${refs}`);
          }
          flipped.add(request.host);
          request.url = request.url.replace('/flip/', '/acme/');
          return false;
        }
        return false;
      },
    });
    strict = await startEngine(false);
    allowingLocal = await startEngine(true);
  });

  after(async () => {
    for (const { engine, broker, prefix } of engines) {
      await engine.stop();
      await broker.close();
      await removeTestTopology(prefix, retryDelaysMs);
    }
    await forge.close();
    await privateServer.close();
    await testDatabase.drop();
    await rm(root, { recursive: true, force: true });
  });

  async function addGitSource(target: string): Promise<string> {
    const { rows } = await testDatabase.database.query<{ id: string }>(
      `INSERT INTO sources (kind, target) VALUES ('git', $1) RETURNING id::text AS id`,
      [target],
    );
    return rows[0]!.id;
  }

  let runs = 0;
  async function crawl(
    engine: { broker: BrokerConnection },
    payload: Partial<CrawlRepositoryPayload>,
  ): Promise<Run & { id: string }> {
    const id = `targets-run-${++runs}`;
    const message = { host: 'forge.test', owner: 'acme', name: `widget-${runs}`, crawlRunId: id, ...payload };
    await engine.broker.publish('crawl.repo', createEnvelope('crawl.repo', message));
    return waitFor(
      async () => {
        const { rows } = await testDatabase.database.query<Run>(
          `SELECT status, error, done, failed FROM crawl_runs WHERE id = $1`,
          [id],
        );
        const run = rows[0];
        return run && (run.status === 'done' || run.status === 'failed') ? { ...run, id } : undefined;
      },
      { timeoutMs: 30_000, what: `crawl run ${id} to finish` },
    );
  }

  async function storedCommits(name: string): Promise<number> {
    const { rows } = await testDatabase.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM commits JOIN repositories ON repositories.id = commits.repository_id
        WHERE repositories.name = $1`,
      [name],
    );
    return rows[0]!.n;
  }

  test("an admin's source on a public forge is cloned through the address checked, though its name resolves nowhere else", async () => {
    const gitUrl = `http://forge.test:${forge.port}/acme/widget.git`;
    const run = await crawl(strict, { gitUrl, sourceId: await addGitSource(gitUrl), name: 'pinned' });
    assert.equal(run.status, 'done', run.error ?? '');
    assert.equal(await storedCommits('pinned'), commits);
    assert.ok(forge.requests.some((request) => request.host === `forge.test:${forge.port}`));
  });

  test('a redirect to another public host is checked, followed, and cloned from there', async () => {
    const gitUrl = `http://forge.test:${forge.port}/moved/widget.git`;
    const run = await crawl(strict, { gitUrl, sourceId: await addGitSource(gitUrl), name: 'moved' });
    assert.equal(run.status, 'done', run.error ?? '');
    assert.equal(await storedCommits('moved'), commits);
    assert.ok(forge.requests.some((request) => request.host === `mirror.test:${forge.port}`));
  });

  test('a redirect to a private or loopback address is refused, and that address is never reached', async () => {
    const cases: Array<[string, RegExp]> = [
      ['to-private', /redirected to 127\.0\.0\.2:\d+: "127\.0\.0\.2" is a loopback address/],
      [
        'to-private-name',
        /redirected to private\.test:\d+: .*resolves to a loopback address \(127\.0\.0\.2\)/,
      ],
      ['to-localhost', /redirected to localhost:\d+: the host "localhost" names this machine/],
    ];
    for (const [path, reason] of cases) {
      const gitUrl = `http://forge.test:${forge.port}/${path}/widget.git`;
      const run = await crawl(strict, { gitUrl, sourceId: await addGitSource(gitUrl) });
      assert.equal(run.status, 'failed', path);
      assert.match(run.error ?? '', /CrawlTargetRefusedError/, path);
      assert.match(run.error ?? '', reason, path);
    }
    assert.deepEqual(privateServer.requests, []);
  });

  test('git follows no redirect of its own: one that appears after the check fails the crawl, unfollowed', async () => {
    const gitUrl = `http://forge.test:${forge.port}/flip/widget.git`;
    const run = await crawl(strict, { gitUrl, sourceId: await addGitSource(gitUrl), name: 'flip' });
    assert.equal(run.status, 'failed');
    assert.equal(await storedCommits('flip'), 0);
    assert.deepEqual(privateServer.requests, []);
  });

  test("a supplier's message may not name a public forge off the allowlist, nor plain http", async () => {
    // No gitUrl: the engine derives https://forge.test/acme/widget.git from the host.
    const derived = await crawl(strict, {});
    assert.equal(derived.status, 'failed');
    assert.match(derived.error ?? '', /"forge\.test" is not on the crawl host allowlist/);
    const plain = await crawl(strict, { gitUrl: `http://forge.test:${forge.port}/acme/widget.git` });
    assert.match(plain.error ?? '', /uses http: suppliers' crawl requests take https URLs/);
  });

  test("a message naming a source whose target is another is checked as a supplier's", async () => {
    const sourceId = await addGitSource(`http://forge.test:${forge.port}/acme/other.git`);
    const run = await crawl(strict, { gitUrl: `http://forge.test:${forge.port}/acme/widget.git`, sourceId });
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /suppliers' crawl requests/);
  });

  test("an ext:: target is refused even as an admin's source with GIT_ALLOW_LOCAL=1, and runs nothing", async () => {
    const marker = join(root, 'pwned');
    const gitUrl = `ext::sh -c touch% ${marker}`;
    const run = await crawl(allowingLocal, { host: 'local', gitUrl, sourceId: await addGitSource(gitUrl) });
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /remote-helper/);
    assert.equal(existsSync(marker), false);
  });

  test('a local gitUrl is crawled only as an admin-added source, and only with GIT_ALLOW_LOCAL=1', async () => {
    const local = { host: 'local', gitUrl: repositoryPath };
    const noSource = await crawl(allowingLocal, local);
    assert.equal(noSource.status, 'failed');
    assert.match(noSource.error ?? '', /uses file: suppliers' crawl requests take https URLs/);

    const strictRun = await crawl(strict, { ...local, sourceId: await addGitSource(repositoryPath) });
    assert.equal(strictRun.status, 'failed');
    assert.match(strictRun.error ?? '', /local path or file:\/\/ URL: allowed only .* GIT_ALLOW_LOCAL=1/);

    const { rows } = await testDatabase.database.query<{ id: string }>(
      `SELECT id::text AS id FROM sources WHERE target = $1`,
      [repositoryPath],
    );
    const allowed = await crawl(allowingLocal, { ...local, sourceId: rows[0]!.id, name: 'local-source' });
    assert.equal(allowed.status, 'done', allowed.error ?? '');
    assert.equal(await storedCommits('local-source'), commits);
  });
});
