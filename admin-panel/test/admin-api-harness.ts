import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import {
  createCrawlTargetPolicy,
  createOutboxRelay,
  startHttpServer,
  type BrokerConnection,
  type Database,
  type OutboxRelay,
  type Role,
} from '@repopulse/core';
import {
  connectTestBroker,
  createTestDatabase,
  fixedHostResolver,
  removeTestTopology,
  testLogger,
  proxyHeadersFor,
  testForwardedIdentity,
  testQueuePrefix,
  type TestCaller,
  type TestDatabase,
} from '@repopulse/core/testing';
import { createApp } from '../src/app.js';
import { createQueueStats } from '../src/queues/queue-stats.js';

export const retryDelaysMs = [1_000];
export const publicUrl = 'https://pulse.example.org';
export const managementUrl = process.env.TEST_RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672';

/** No DNS in the tests: the names the tests' git sources use, as a resolver would answer them. */
export const testHosts = {
  'git.kernel.org': ['139.178.84.217'],
  'git.example.org': ['93.184.215.14'],
  'codeberg.org': ['217.197.84.140'],
  'intranet.example.org': ['10.20.30.40'],
  localhost: ['127.0.0.1'],
};

export const admin = { 'x-user-id': 'user:1', 'x-user-name': 'admin', 'x-user-roles': 'admin' };
export const problemJson = 'application/problem+json; charset=utf-8';

export interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
  [extension: string]: unknown;
}

// Tests read answers as the UI does, by field; each assertion says what it expects there.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Answer<Body = any> {
  status: number;
  type: string;
  headers: Headers;
  json: Body;
}

export interface AdminApi {
  database: Database;
  testDatabase: TestDatabase;
  broker: BrokerConnection;
  relay: OutboxRelay;
  prefix: string;
  /** A JSON call as an admin (or with the headers given); a string body is sent as it is. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call<Body = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer<Body>>;
  /** A raw call with the content type and body given. */
  send(method: string, path: string, contentType: string, body: string): Promise<Answer<Problem>>;
  close(): Promise<void>;
}

/**
 * The admin API over a database of its own and a queue prefix of its own on the shared broker, with an
 * outbox relay and queue stats as index.ts wires them (the management URL may be swapped).
 */
export async function startAdminApi(
  options: { managementUrl?: string; allowLocal?: boolean } = {},
): Promise<AdminApi> {
  const prefix = testQueuePrefix();
  const logger = testLogger();
  const testDatabase = await createTestDatabase();
  const { database } = testDatabase;
  const broker = await connectTestBroker({ prefix, retryDelaysMs, logger });
  const relay = createOutboxRelay({ database, publisher: broker, logger, pollIntervalMs: 100 });
  const queueStats = createQueueStats({
    broker,
    managementUrl: options.managementUrl ?? managementUrl,
    vhost: '/',
    logger,
    timeoutMs: 1_000,
  });
  const app = createApp({
    database,
    logger,
    registry: new Registry(),
    relay,
    queueStats,
    brokerCheck: () => broker.check(),
    publicUrl,
    timezone: 'Europe/Prague',
    uiDirectory: '/nonexistent',
    forwardedIdentity: testForwardedIdentity,
    crawlTargets: createCrawlTargetPolicy({
      allowLocal: options.allowLocal ?? false,
      resolveHost: fixedHostResolver(testHosts),
    }),
  });
  const server = await startHttpServer(app, 0, '127.0.0.1');
  const base = `http://127.0.0.1:${server.port}`;

  async function answerOf(response: Response): Promise<Answer> {
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      headers: response.headers,
      json: text ? JSON.parse(text) : undefined,
    };
  }

  return {
    database,
    testDatabase,
    broker,
    relay,
    prefix,
    async call(method, path, body, headers = admin) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...signedAs(method, `${base}${path}`, headers),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return answerOf(response);
    },
    async send(method, path, contentType, body) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { ...signedAs(method, `${base}${path}`, admin), 'content-type': contentType },
        body,
      });
      return answerOf(response);
    },
    async close() {
      await server.close(1_000);
      await relay.stop();
      await broker.close();
      await removeTestTopology(prefix, retryDelaysMs);
      await testDatabase.drop();
    },
  };
}

/**
 * The headers the permission proxy would send for the caller that `identity` describes in its header form
 * (`x-user-id`, `x-user-name`, `x-user-roles`; `{}` is anonymous), signed as the proxy signs them.
 */
function signedAs(method: string, url: string, identity: Record<string, string>): Record<string, string> {
  const { pathname, search } = new URL(url);
  const principal = identity['x-user-id'];
  const caller: TestCaller | undefined = principal
    ? {
        principal,
        name: identity['x-user-name'],
        roles: (identity['x-user-roles'] ?? '').split(',').filter((role) => role !== '') as Role[],
      }
    : undefined;
  return proxyHeadersFor(method, `${pathname}${search}`, caller);
}

/** 401 without the proxy's identity headers, 403 for every caller without the admin role; nothing changes. */
export async function assertAdminsOnly(
  api: AdminApi,
  method: string,
  path: string,
  body?: unknown,
): Promise<void> {
  const anonymous = await api.call(method, path, body, {});
  assert.equal(anonymous.status, 401, `${method} ${path} without identity`);
  assert.equal(anonymous.type, problemJson);
  for (const roles of ['analyst', 'supplier', 'analyst,supplier', '']) {
    const answer = await api.call(method, path, body, { 'x-user-id': 'user:9', 'x-user-roles': roles });
    assert.equal(answer.status, 403, `${method} ${path} as ${roles || 'no role'}`);
    assert.equal(answer.type, problemJson);
  }
}

/** 400 for malformed JSON, 413 past the limit, 415 for another media type: all problem+json. */
export async function assertRefusesBadBodies(
  api: AdminApi,
  method: string,
  path: string,
  oversized: unknown = { padding: 'x'.repeat(100_000) },
): Promise<void> {
  const malformed = await api.send(method, path, 'application/json', '{"oops":');
  assert.equal(malformed.status, 400, `${method} ${path} malformed`);
  assert.equal(malformed.type, problemJson);
  const tooLarge = await api.send(method, path, 'application/json', JSON.stringify(oversized));
  assert.equal(tooLarge.status, 413, `${method} ${path} oversized`);
  assert.equal(tooLarge.type, problemJson);
  const text = await api.send(method, path, 'text/plain', 'hello');
  assert.equal(text.status, 415, `${method} ${path} as text/plain`);
  assert.equal(text.type, problemJson);
}

/** The paths a 422 names, sorted. */
export function violationPaths(answer: Answer<Problem>): string[] {
  assert.equal(answer.status, 422, JSON.stringify(answer.json));
  assert.equal(answer.type, problemJson);
  return (answer.json.errors ?? []).map((error) => error.path).sort();
}
