import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  createTestDatabase,
  drainQueue,
  removeTestTopology,
  testAmqpUrl,
  testQueuePrefix,
  type TestDatabase,
} from '@repopulse/core/testing';
import { githubExamples, inBatches, signatureOf } from '../../input-gateway/test/webhook-deliveries.js';
import type { ModuleProcess } from './engine-process.js';
import { startListeningModule, stopProcesses, type ListeningModule } from './support/platform-processes.js';

const webhookSecret = 'webhook-burst-test-secret';
const retryDelaysMs = [500];

describe('a burst of webhook deliveries through the permission proxy (real proxy and gateway processes)', () => {
  const prefix = testQueuePrefix();
  const processes: ModuleProcess[] = [];
  let testDatabase: TestDatabase;
  let proxy: ListeningModule;
  const body = JSON.stringify(githubExamples(['push'])[0]!.payload);

  before(async () => {
    testDatabase = await createTestDatabase();
    const input = await startListeningModule('input-gateway', {
      DATABASE_URL: testDatabase.url,
      AMQP_URL: testAmqpUrl,
      QUEUE_PREFIX: prefix,
      QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
      GITHUB_WEBHOOK_SECRET: webhookSecret,
      WEBHOOK_FAILURES_PER_MINUTE: '10',
    });
    processes.push(input.process);
    proxy = await startListeningModule('permission-proxy', {
      DATABASE_URL: testDatabase.url,
      INPUT_GATEWAY_URL: input.url,
      JWT_SECRET: 'webhook-burst-test-jwt-secret-of-32-characters',
      ADMIN_PASSWORD: 'webhook-burst-admin-password',
      // The test speaks for several senders through X-Forwarded-For, as Traefik would.
      TRUSTED_PROXIES: 'loopback',
    });
    processes.push(proxy.process);
  });

  after(async () => {
    await stopProcesses(processes);
    await removeTestTopology(prefix, retryDelaysMs);
    await testDatabase.drop();
  });

  const deliver = (deliveryId: string, sender: string, signature = signatureOf(body, webhookSecret)) =>
    fetch(`${proxy.url}/ingest/v1/webhooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': deliveryId,
        'x-hub-signature-256': signature,
        'x-forwarded-for': sender,
      },
      body,
    });

  test('1,000 correctly signed deliveries from one address are all accepted, none refused for rate', async () => {
    const ids = Array.from({ length: 1_000 }, () => randomUUID());
    const statuses = await inBatches(ids, 50, async (id) => {
      const response = await deliver(id, '140.82.115.10');
      await response.arrayBuffer();
      return response.status;
    });
    const refused = statuses.filter((status) => status !== 202);
    assert.deepEqual(refused, [], `${refused.length} of ${ids.length} refused`);
    const messages = await drainQueue(`${prefix}ingest.github-webhook`);
    assert.deepEqual(new Set(messages.map((message) => message.messageId)), new Set(ids));
  });

  test('an address that keeps failing the signature is refused with 429 and Retry-After; GitHub’s is not', async () => {
    const forger = '203.0.113.66';
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      const response = await deliver(randomUUID(), forger, signatureOf(body, 'a-guessed-secret'));
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(401));
    assert.deepEqual(statuses.slice(10), [429, 429]);
    const refused = await deliver(randomUUID(), forger);
    assert.equal(refused.status, 429);
    assert.match(refused.headers.get('content-type') ?? '', /problem\+json/);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    const github = await deliver(randomUUID(), '140.82.115.10');
    assert.equal(github.status, 202);
    await drainQueue(`${prefix}ingest.github-webhook`);
  });
});
