import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '@repopulse/core';
import {
  createTestDatabase,
  removeTestTopology,
  testAmqpUrl,
  testQueuePrefix,
  waitFor,
  type TestDatabase,
} from '@repopulse/core/testing';
import type { ModuleProcess } from './engine-process.js';
import { startListeningModule, stopProcesses, type ListeningModule } from './support/platform-processes.js';
import { startSlowSenders } from './support/slow-senders.js';

const retryDelaysMs = [500];
const slowConnections = 280;

function batch(id: string): string {
  return JSON.stringify({
    source: 'slow-clients-test',
    events: [
      {
        id,
        type: 'star',
        action: 'created',
        repository: { host: 'gitea.example.org', owner: 'acme', name: 'widgets' },
        occurredAt: '2026-11-02T10:00:00Z',
        actor: { login: 'fan' },
        data: {},
      },
    ],
  });
}

describe('slow clients cannot starve others (real proxy and gateway processes)', () => {
  const prefix = testQueuePrefix();
  const processes: ModuleProcess[] = [];
  let testDatabase: TestDatabase;
  let proxy: ListeningModule;
  let supplierKey: string;

  before(async () => {
    testDatabase = await createTestDatabase();
    const input = await startListeningModule('input-gateway', {
      DATABASE_URL: testDatabase.url,
      AMQP_URL: testAmqpUrl,
      QUEUE_PREFIX: prefix,
      QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
      GITHUB_WEBHOOK_SECRET: 'slow-clients-webhook-secret',
    });
    processes.push(input.process);
    proxy = await startListeningModule('permission-proxy', {
      DATABASE_URL: testDatabase.url,
      INPUT_GATEWAY_URL: input.url,
      JWT_SECRET: 'slow-clients-test-jwt-secret-of-32-characters',
      ADMIN_PASSWORD: 'slow-clients-admin-password',
      TRUSTED_PROXIES: 'loopback',
      CLIENT_BODY_TIMEOUT_MS: '4000',
    });
    processes.push(proxy.process);
    supplierKey = (await createApiKey(testDatabase.database, { name: 'supplier', role: 'supplier' })).key;
  });

  after(async () => {
    await stopProcesses(processes);
    await removeTestTopology(prefix, retryDelaysMs);
    await testDatabase.drop();
  });

  test('a supplier is answered while hundreds of anonymous bodies trickle in, and the trickles are cut with 408', async () => {
    const attack = startSlowSenders({
      port: Number(new URL(proxy.url).port),
      count: slowConnections,
      path: '/ingest/v1/webhooks/github',
      headers: {
        'Content-Type': 'application/json',
        'X-GitHub-Event': 'push',
        'X-GitHub-Delivery': 'slow',
        'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}`,
      },
      bodyBytes: 5_000,
      byteEveryMs: 250,
      addressOf: (index) => `198.51.100.${index % 28}`,
    });
    try {
      await waitFor(() => attack.senders.every((sender) => sender.sent() > 0), {
        timeoutMs: 30_000,
        what: 'every slow connection to be sending its body',
      });
      const answered = await fetch(`${proxy.url}/ingest/v1/events`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${supplierKey}`,
          'content-type': 'application/json',
          'x-forwarded-for': '192.0.2.200',
        },
        body: batch('legit-1'),
        // A guard, not a measurement (bench:slow-clients measures): without it a starved request would
        // hang this test until the slow bodies end, minutes later.
        signal: AbortSignal.timeout(20_000),
      });
      assert.equal(answered.status, 202, await answered.text());
      const stillWaiting = attack.senders.filter((sender) => sender.answer() === '' && !sender.closed());
      assert.equal(
        stillWaiting.length,
        slowConnections,
        'the supplier was answered while every slow body was still arriving',
      );

      // The trickles are cut: 408 problem+json, and the connection closed.
      await waitFor(() => attack.senders.every((sender) => sender.closed()), {
        timeoutMs: 30_000,
        what: 'every slow connection to be cut',
      });
      const statuses = new Set(
        attack.senders.map((sender) => /^HTTP\/1\.1 (\d{3})/.exec(sender.answer())?.[1]),
      );
      assert.deepEqual(statuses, new Set(['408']));
      assert.match(attack.senders[0]!.answer(), /application\/problem\+json/);
    } finally {
      attack.stop();
    }
  });
});
