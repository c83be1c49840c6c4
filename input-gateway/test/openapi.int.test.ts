import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startGatewayUnderTest, type GatewayUnderTest } from './gateway-under-test.js';
import { proxiedFetch } from '@repopulse/core/testing';

describe('GET /v1/openapi.json', () => {
  let gateway: GatewayUnderTest;
  before(async () => {
    gateway = await startGatewayUnderTest({ maxEvents: 250 });
  });
  after(async () => {
    await gateway.stop();
  });

  test('is an OpenAPI 3.1 document a standard validator accepts', async () => {
    const response = await proxiedFetch(`${gateway.base}/v1/openapi.json`);
    assert.equal(response.status, 200);
    const document = (await response.json()) as { openapi: string };
    assert.equal(document.openapi, '3.1.0');
    const validator = new Validator();
    const result = await validator.validate(document);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  });

  test('documents every ingest endpoint, the generic batch schema with the configured cap, and the errors', async () => {
    const document = (await (await proxiedFetch(`${gateway.base}/v1/openapi.json`)).json()) as {
      paths: Record<string, { post?: { responses: Record<string, unknown> } }>;
      components: { schemas: { GenericEventBatch: { properties: { events: { maxItems: number } } } } };
    };
    assert.deepEqual(Object.keys(document.paths).sort(), [
      '/v1/crawl-requests',
      '/v1/events',
      '/v1/openapi.json',
      '/v1/webhooks/github',
    ]);
    assert.equal(document.components.schemas.GenericEventBatch.properties.events.maxItems, 250);
    for (const path of ['/v1/events', '/v1/crawl-requests', '/v1/webhooks/github']) {
      const statuses = Object.keys(document.paths[path]!.post!.responses);
      for (const status of ['202', '400', '413', '415', '422', '503'])
        assert.ok(statuses.includes(status), `${path} ${status}`);
    }
  });

  test('shows in the batch schema the bounds of what PostgreSQL can store', async () => {
    type Node = { properties: Record<string, Node> } & Record<string, unknown>;
    const document = (await (await proxiedFetch(`${gateway.base}/v1/openapi.json`)).json()) as {
      components: {
        schemas: { GenericEventBatch: { properties: { events: { items: { oneOf: Node[] } } } } };
      };
    };
    const commit = document.components.schemas.GenericEventBatch.properties.events.items.oneOf.find(
      (event) => event.properties.type!['const'] === 'commit',
    )!;
    const data = commit.properties.data!.properties;
    assert.deepEqual(data.additions, { type: 'integer', minimum: 0, maximum: 2_147_483_647 });
    assert.deepEqual(data.message, {
      type: 'string',
      maxLength: 100_000,
      pattern: '^[^\\u0000\\uD800-\\uDFFF]*$',
    });
    const { description, ...occurredAt } = commit.properties.occurredAt!;
    assert.deepEqual(occurredAt, {
      type: 'string',
      format: 'date-time',
      'x-instant': { earliest: '1970-01-01T00:00:00Z', latestAheadOfNowSeconds: 86_400 },
    });
    assert.match(String(description), /offset within ±15:59/);
  });
});
