import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Envelope } from '@repopulse/core';
import { drainQueue, queueDepth } from '@repopulse/core/testing';
import { createGithubWebhookValidators, type GithubWebhookMessage } from '../src/webhooks/index.js';
import { deliver, githubExamples, signatureOf } from './webhook-deliveries.js';
import { startWebhookTestGateway, type WebhookTestGateway } from './webhook-test-gateway.js';

const secret = 'senders-test-secret';
const candidates = { candidates: [{ scope: 'fallback' as const, secret }], complete: true };

function push(padding = 0): string {
  const [example] = githubExamples(['push']);
  const payload = structuredClone(example!.payload) as Record<string, unknown>;
  if (padding > 0) payload.padding = 'x'.repeat(padding);
  return JSON.stringify(payload);
}

describe('webhook senders that keep failing, and bodies too large to hold while they arrive', () => {
  let gateway: WebhookTestGateway;

  before(async () => {
    gateway = await startWebhookTestGateway({
      secrets: { candidatesFor: async () => candidates },
      validators: createGithubWebhookValidators(),
      maxBodyBytes: 8 * 1024 * 1024,
      failureLimits: { failuresPerMinute: 5, blockSeconds: 60 },
    });
  });
  after(async () => {
    await gateway.close();
  });

  test('an address whose deliveries keep failing their signature is refused with 429 and Retry-After; others are not', async () => {
    const body = push();
    const bad = { event: 'push', body, secret: 'not-the-secret', address: '198.51.100.7' };
    for (let attempt = 0; attempt < 5; attempt++)
      assert.equal((await deliver(gateway.base, bad)).status, 401);
    const refused = await deliver(gateway.base, { event: 'push', body, secret, address: '198.51.100.7' });
    assert.equal(refused.status, 429);
    assert.match(refused.headers.get('content-type') ?? '', /problem\+json/);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    // Another sender, correctly signed, is unaffected.
    const other = await deliver(gateway.base, { event: 'push', body, secret, address: '198.51.100.8' });
    assert.equal(other.status, 202);
    await drainQueue(gateway.queue);
  });

  test('correctly signed deliveries are never refused for how many there are: 1,000 from one address all get 202', async () => {
    const ids: string[] = [];
    const answers: number[] = [];
    const body = push();
    for (let round = 0; round < 20; round++) {
      const batch = Array.from({ length: 50 }, () => randomUUID());
      ids.push(...batch);
      const statuses = await Promise.all(
        batch.map(async (deliveryId) => {
          const response = await deliver(gateway.base, {
            event: 'push',
            body,
            secret,
            deliveryId,
            address: '192.0.2.50',
          });
          await response.arrayBuffer();
          return response.status;
        }),
      );
      answers.push(...statuses);
    }
    assert.deepEqual(
      answers.filter((status) => status !== 202),
      [],
    );
    const messages = await drainQueue(gateway.queue);
    assert.deepEqual(new Set(messages.map((message) => message.messageId)), new Set(ids));
  });

  test('a large signed delivery, received into a file while it arrives, is published whole', async () => {
    const body = push(5 * 1024 * 1024);
    const deliveryId = randomUUID();
    const response = await deliver(gateway.base, { event: 'push', body, secret, deliveryId });
    assert.equal(response.status, 202, await response.text());
    const [message] = await drainQueue(gateway.queue);
    const envelope = message!.json as Envelope<GithubWebhookMessage>;
    assert.equal(envelope.id, deliveryId);
    assert.deepEqual(envelope.payload.body, JSON.parse(body));
    // Signed over exactly the bytes received: one changed byte in the file-backed part is refused.
    const tampered = `${body.slice(0, -10)}y${body.slice(-9)}`;
    const refused = await deliver(gateway.base, {
      event: 'push',
      body: tampered,
      signature: signatureOf(body, secret),
      address: '203.0.113.77',
    });
    assert.equal(refused.status, 401);
    assert.equal(await queueDepth(gateway.queue), 0);
  });
});
