import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { drainQueue, queueDepth, proxiedFetch, type TestCaller } from '@repopulse/core/testing';
import { startGatewayUnderTest, type GatewayUnderTest } from './gateway-under-test.js';

describe('POST /v1/crawl-requests (real RabbitMQ)', () => {
  let gateway: GatewayUnderTest;
  before(async () => {
    gateway = await startGatewayUnderTest();
  });
  after(async () => {
    await gateway.stop();
  });

  const request = (body: unknown, caller?: TestCaller) =>
    proxiedFetch(`${gateway.base}/v1/crawl-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      caller,
    });

  test('publishes crawl.repo for owner/name on GitHub, with who asked', async () => {
    const response = await request(
      { kind: 'repository', target: 'Acme/Widgets' },
      { principal: 'user:1', name: 'admin', roles: ['admin'] },
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

  test('publishes crawl.repo for a git URL, naming the repository by its host and last two segments', async () => {
    const response = await request({ kind: 'repository', target: 'https://git.example.org/team/app.git' });
    assert.equal(response.status, 202);
    const [message] = await drainQueue(gateway.broker.names.queue('crawl.repo'));
    assert.deepEqual((message!.json as { payload: unknown }).payload, {
      host: 'git.example.org',
      owner: 'team',
      name: 'app',
      gitUrl: 'https://git.example.org/team/app.git',
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
});
