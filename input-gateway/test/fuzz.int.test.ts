import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { workQueues } from '@repopulse/core';
import { queueDepth, proxiedFetch } from '@repopulse/core/testing';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { processedWebhookEvents } from '../src/webhooks/index.js';
import { startGatewayUnderTest, testWebhookSecret, type GatewayUnderTest } from './gateway-under-test.js';

const endpoints = ['/v1/events', '/v1/crawl-requests', '/v1/webhooks/github'] as const;
const headerText = fc.stringMatching(/^[\x20-\x7e]{0,60}$/);

const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'application/problem+json',
    'application/x-www-form-urlencoded',
    'text/plain',
    'multipart/form-data; boundary=x',
    '',
  ),
  headerText,
);

/** Bodies a careless or hostile client might send: text, bytes, any JSON, and near-misses of valid shapes. */
const body = fc.oneof(
  fc.string(),
  fc.uint8Array({ maxLength: 300 }),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc
    .record({ source: fc.jsonValue(), events: fc.array(fc.jsonValue(), { maxLength: 5 }) })
    .map((value) => JSON.stringify(value)),
  fc
    .record({
      kind: fc.constantFrom('repository', 'organization', 'x'),
      target: fc.oneof(fc.string(), fc.jsonValue()),
      host: fc.jsonValue(),
    })
    .map((value) => JSON.stringify(value)),
  fc.nat({ max: 40 }).map((depth) => '['.repeat(depth * 100) + ']'.repeat(depth * 100)),
  fc.string().map((text) => `payload=${encodeURIComponent(text)}`),
);

const headers = fc.record(
  {
    'x-github-event': fc.oneof(fc.constantFrom('push', 'ping', 'issues', 'pull_request', 'star'), headerText),
    'x-github-delivery': headerText,
    'x-hub-signature-256': fc.oneof(headerText, fc.stringMatching(/^sha256=[0-9a-f]{64}$/)),
    'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown'),
    'x-request-id': headerText,
  },
  { requiredKeys: [] },
);

/**
 * Sometimes sign the body correctly, as GitHub would, for an event type the engine processes: then the
 * schemas, not the signature, must refuse the malformed body.
 */
const signedDelivery = fc.option(fc.constantFrom(...Object.keys(processedWebhookEvents)), { nil: undefined });

function signatureHeaders(event: string | undefined, payload: string | Uint8Array): Record<string, string> {
  if (event === undefined) return {};
  const signature = createHmac('sha256', testWebhookSecret).update(payload).digest('hex');
  return {
    'x-github-event': event,
    'x-hub-signature-256': `sha256=${signature}`,
    'x-github-delivery': 'fuzz-delivery',
  };
}

describe('malformed input at every endpoint (fast-check)', () => {
  let gateway: GatewayUnderTest;
  before(async () => {
    gateway = await startGatewayUnderTest({ maxBodyBytes: 8 * 1024 });
  });
  after(async () => {
    await gateway.stop();
  });

  for (const endpoint of endpoints) {
    test(`every malformed request to ${endpoint} gets a 4xx problem+json and nothing is published`, async () => {
      await fc.assert(
        fc.asyncProperty(
          body,
          contentType,
          headers,
          signedDelivery,
          async (payload, type, extraHeaders, signedEvent) => {
            const response = await proxiedFetch(`${gateway.base}${endpoint}`, {
              method: 'POST',
              headers: {
                ...extraHeaders,
                ...signatureHeaders(signedEvent, payload),
                ...(type === '' ? {} : { 'content-type': type }),
              },
              body: payload,
            });
            const text = await response.text();
            assert.ok(
              response.status >= 400 && response.status < 500,
              `status ${response.status}: ${text.slice(0, 300)}`,
            );
            assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
            const problem = JSON.parse(text) as { status: number; title: string; type: string };
            assert.equal(problem.status, response.status);
            assert.equal(typeof problem.title, 'string');
          },
        ),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 1_200) },
      );
    });
  }

  test('the process is still up and nothing reached any queue', async () => {
    assert.equal((await fetch(`${gateway.base}/health`)).status, 200);
    for (const queue of workQueues)
      assert.equal(await queueDepth(gateway.broker.names.queue(queue)), 0, queue);
  });
});
