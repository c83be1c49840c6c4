import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import {
  createTestDatabase,
  testLogger,
  type TestDatabase,
  testForwardedIdentity,
  proxiedFetch,
} from '@repopulse/core/testing';
import { startHttpServer, type RunningServer } from '@repopulse/core';
import { Registry } from 'prom-client';
import { createApp } from '../src/app.js';
import { apiEndpoints } from '../src/api-endpoints.js';
import { assertConforms } from './support/openapi-conformance.js';

describe("the read API's OpenAPI document", () => {
  let testDatabase: TestDatabase;
  let server: RunningServer;
  let base: string;

  before(async () => {
    testDatabase = await createTestDatabase();
    server = await startHttpServer(
      createApp({
        database: testDatabase.database,
        logger: testLogger(),
        registry: new Registry(),
        forwardedIdentity: testForwardedIdentity,
      }),
      0,
      '127.0.0.1',
    );
    base = `http://127.0.0.1:${server.port}`;
  });
  after(async () => {
    await server.close();
    await testDatabase.drop();
  });

  test('is served at /v1/openapi.json and is valid OpenAPI 3.1', async () => {
    const response = await proxiedFetch(`${base}/v1/openapi.json`);
    assert.equal(response.status, 200);
    assert.ok(response.headers.get('etag'));
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    assert.equal(document.openapi, '3.1.0');
    const result = await new Validator().validate(document as never);
    assert.equal(result.valid, true, JSON.stringify(result.errors));
  });

  test('lists every endpoint the gateway serves, with its parameters and errors', async () => {
    const document = (await (await proxiedFetch(`${base}/v1/openapi.json`)).json()) as {
      paths: Record<
        string,
        { get: { parameters: Array<{ name: string }>; responses: Record<string, unknown> } }
      >;
    };
    for (const endpoint of apiEndpoints) {
      const operation = document.paths[`/v1${endpoint.path}`]?.get;
      assert.ok(operation, `${endpoint.path} documented`);
      assert.deepEqual(
        operation.parameters.map((parameter) => parameter.name),
        endpoint.parameters.map((parameter) => parameter.name),
      );
      for (const status of ['200', '304', '400', '503'])
        assert.ok(operation.responses[status], `${endpoint.path} ${status}`);
    }
  });

  test('real answers conform to it: an activity series and a 404 problem', async () => {
    await testDatabase.database.query(
      `INSERT INTO repositories (host, owner, name) VALUES ('github.com', 'acme', 'conform')`,
    );
    const found = await proxiedFetch(`${base}/v1/repositories/acme/conform/activity?interval=month`);
    assert.equal(found.status, 200);
    assertConforms('getRepositoryActivity', 200, await found.json());
    const missing = await proxiedFetch(`${base}/v1/repositories/acme/nothing/activity`);
    assert.equal(missing.status, 404);
    assertConforms('getRepositoryActivity', 404, await missing.json());
    const bad = await proxiedFetch(`${base}/v1/repositories/acme/conform/activity?interval=year`);
    assert.equal(bad.status, 400);
    assertConforms('getRepositoryActivity', 400, await bad.json());
  });
});
