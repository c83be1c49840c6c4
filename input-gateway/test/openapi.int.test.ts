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
});
