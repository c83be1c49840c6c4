import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '@repopulse/core';
import { createTestDatabase, type TestDatabase } from '@repopulse/core/testing';
import type { ModuleProcess } from './engine-process.js';
import { startListeningModule, stopProcesses } from './support/platform-processes.js';

const perMinute = 6;
const burst = 5;

/** Stands in for the output gateway: every request it is sent is answered 200. */
async function startEchoUpstream(): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ path: request.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('two permission-proxy processes on one database (real processes and PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let upstream: Server;
  const processes: ModuleProcess[] = [];
  const proxies: string[] = [];

  before(async () => {
    testDatabase = await createTestDatabase();
    // Six a minute, five at once: a window of 50 s, far longer than the requests below take.
    await testDatabase.database.query(
      `UPDATE acl_rules SET rate_limit_per_minute = $1, rate_limit_burst = $2 WHERE path_pattern = '/api/*'`,
      [perMinute, burst],
    );
    upstream = await startEchoUpstream();
    const env = {
      DATABASE_URL: testDatabase.url,
      OUTPUT_GATEWAY_URL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
      JWT_SECRET: 'proxy-replicas-test-jwt-secret-of-at-least-32-characters',
      ADMIN_PASSWORD: 'proxy-replicas-test-admin-password',
      ACL_CACHE_TTL_MS: '0',
      HOST: '127.0.0.1',
    };
    // One after the other: the first migrates and creates the first admin, as a rolling start would.
    for (let index = 0; index < 2; index++) {
      const proxy = await startListeningModule('permission-proxy', env);
      processes.push(proxy.process);
      proxies.push(proxy.url);
    }
  });
  after(async () => {
    await stopProcesses(processes);
    await new Promise((resolve) => upstream?.close(resolve));
    await testDatabase?.drop();
  });

  const get = (proxy: string, key: string) =>
    fetch(`${proxy}/api/v1/repositories`, { headers: { authorization: `Bearer ${key}` } });

  test('give a caller its burst once in all, not once each, and refuse the rest with 429 from either', async () => {
    const caller = await createApiKey(testDatabase.database, { name: 'busy script', role: 'analyst' });
    const other = await createApiKey(testDatabase.database, { name: 'quiet script', role: 'analyst' });
    const answers = [];
    for (let index = 0; index < 2 * burst; index++) answers.push(await get(proxies[index % 2]!, caller.key));

    const allowed = answers.filter((answer) => answer.status >= 200 && answer.status < 300);
    for (const answer of allowed) await answer.text();
    assert.equal(allowed.length, burst, `statuses ${answers.map((answer) => answer.status).join(',')}`);
    assert.deepEqual(
      answers.slice(0, burst).map((answer) => answer.headers.get('ratelimit-remaining')),
      ['4', '3', '2', '1', '0'],
      'each answer counts the requests the other proxy let through',
    );
    const refused = answers.slice(burst);
    for (const answer of refused) {
      assert.equal(answer.status, 429);
      assert.ok(Number(answer.headers.get('retry-after')) >= 1, 'Retry-After');
      assert.equal(answer.headers.get('ratelimit-limit'), String(burst));
      assert.equal(answer.headers.get('ratelimit-remaining'), '0');
      assert.equal(answer.headers.get('ratelimit-policy'), `${burst};w=50`);
      assert.ok(Number(answer.headers.get('ratelimit-reset')) >= 1, 'RateLimit-Reset');
      assert.match(answer.headers.get('content-type') ?? '', /application\/problem\+json/);
      const problem = (await answer.json()) as { status: number; type: string };
      assert.equal(problem.status, 429);
    }
    for (const proxy of proxies) {
      const answer = await get(proxy, other.key);
      assert.equal(answer.status, 200, 'another caller has a window of its own');
      await answer.text();
    }
  });
});
