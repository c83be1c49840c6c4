import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readConfig, startHttpServer, type RunningServer } from '@repopulse/core';
import {
  createTestDatabase,
  testInternalSecret,
  testLogger,
  type TestDatabase,
} from '@repopulse/core/testing';
import { Registry } from 'prom-client';
import { permissionProxyConfig } from '../src/config.js';
import { createProxy, type Proxy } from '../src/create-proxy.js';

export const jwtSecret = 'proxy-under-test-secret-of-at-least-32-characters';
export const adminPassword = 'admin-password-for-tests';

export interface SeenRequest {
  service: string;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface ProxyUnderTest {
  base: string;
  port: number;
  testDatabase: TestDatabase;
  proxy: Proxy;
  /** What each echo upstream received, newest last. */
  seen: SeenRequest[];
  stop(): Promise<void>;
}

/** A real HTTP server standing in for a module: it answers every request with what it received. */
async function startEchoUpstream(service: string, seen: SeenRequest[]): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const entry = {
        service,
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
      };
      seen.push(entry);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ service, path: entry.path }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** The whole proxy (as `src/index.ts` builds it) in front of four echo upstreams, on its own database. */
export async function startProxyUnderTest(overrides: Record<string, string> = {}): Promise<ProxyUnderTest> {
  const testDatabase = await createTestDatabase();
  const seen: SeenRequest[] = [];
  const services = ['input-gateway', 'output-gateway', 'admin-panel', 'client-panel'];
  const upstreams = await Promise.all(services.map((service) => startEchoUpstream(service, seen)));
  const urlOf = (index: number) => `http://127.0.0.1:${(upstreams[index]!.address() as AddressInfo).port}`;
  const config = readConfig(permissionProxyConfig, {
    DATABASE_URL: testDatabase.url,
    JWT_SECRET: jwtSecret,
    ADMIN_PASSWORD: adminPassword,
    INPUT_GATEWAY_URL: urlOf(0),
    OUTPUT_GATEWAY_URL: urlOf(1),
    ADMIN_PANEL_URL: urlOf(2),
    CLIENT_PANEL_URL: urlOf(3),
    ACL_CACHE_TTL_MS: '0',
    INTERNAL_SECRET: testInternalSecret,
    ...overrides,
  });
  const proxy = await createProxy({
    config,
    database: testDatabase.database,
    logger: testLogger(),
    registry: new Registry(),
  });
  const server: RunningServer = await startHttpServer(proxy.app, 0, '127.0.0.1');
  return {
    base: `http://127.0.0.1:${server.port}`,
    port: server.port,
    testDatabase,
    proxy,
    seen,
    async stop() {
      await server.close();
      await proxy.stop();
      for (const upstream of upstreams) await new Promise((resolve) => upstream.close(resolve));
      await testDatabase.drop();
    },
  };
}

export async function logIn(base: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${base}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200)
    throw new Error(`login of ${username} failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
