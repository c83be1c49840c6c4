import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  removeTestTopology,
  testAmqpUrl,
  testQueuePrefix,
  type TestDatabase,
} from '@repopulse/core/testing';
import type { ModuleProcess } from '../engine-process.js';
import { startListeningModule, stopProcesses, type ListeningModule } from './platform-processes.js';

export const replicaAdminPassword = 'proxy-replicas-admin-password';
const jwtSecret = 'proxy-replicas-test-jwt-secret-of-at-least-32-characters';
const retryDelaysMs = [500];

/** Two permission proxies on one database, as Swarm runs them, in front of a real admin panel. */
export interface ProxyReplicas {
  testDatabase: TestDatabase;
  /** Both replicas, each its own process; changes are made through the first, checked on the second. */
  replicas: [ListeningModule, ListeningModule];
  adminPanel: ListeningModule;
  stop(): Promise<void>;
}

/**
 * Starts the admin panel and two permission-proxy processes on a database of their own (the proxies with
 * their default caches unless `proxyEnv` says otherwise).
 */
export async function startProxyReplicas(proxyEnv: Record<string, string> = {}): Promise<ProxyReplicas> {
  const prefix = testQueuePrefix();
  const processes: ModuleProcess[] = [];
  let testDatabase: TestDatabase | undefined;
  let uiDirectory: string | undefined;
  const stop = async () => {
    await stopProcesses(processes);
    await removeTestTopology(prefix, retryDelaysMs);
    await testDatabase?.drop();
    if (uiDirectory) await rm(uiDirectory, { recursive: true, force: true });
  };
  try {
    testDatabase = await createTestDatabase();
    uiDirectory = await mkdtemp(join(tmpdir(), 'proxy-replicas-ui-'));
    await writeFile(join(uiDirectory, 'index.html'), '<!doctype html><title>Repo Pulse admin</title>');
    const adminPanel = await startListeningModule('admin-panel', {
      DATABASE_URL: testDatabase.url,
      AMQP_URL: testAmqpUrl,
      QUEUE_PREFIX: prefix,
      QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
      ADMIN_UI_DIR: uiDirectory,
    });
    processes.push(adminPanel.process);
    const proxyEnvironment = {
      DATABASE_URL: testDatabase.url,
      ADMIN_PANEL_URL: adminPanel.url,
      JWT_SECRET: jwtSecret,
      ADMIN_PASSWORD: replicaAdminPassword,
      ...proxyEnv,
    };
    // One after the other: both create the first admin and migrate, which is safe but slower at once.
    const first = await startListeningModule('permission-proxy', proxyEnvironment);
    processes.push(first.process);
    const second = await startListeningModule('permission-proxy', proxyEnvironment);
    processes.push(second.process);
    return { testDatabase, replicas: [first, second], adminPanel, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** `POST /auth/token` at `base`; `headers` may carry an X-Forwarded-For. */
export function requestToken(
  base: string,
  username: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${base}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });
}

/** A token for the user, or a thrown error naming the answer. */
export async function tokenFor(base: string, username: string, password: string): Promise<string> {
  const response = await requestToken(base, username, password);
  if (response.status !== 200)
    throw new Error(`login of ${username}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A call of the admin API through a proxy (`/admin/api/...`), JSON in and out. */
export async function adminApi<T = unknown>(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}/admin/api${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

/** The status of `GET path` at `base` with these headers (a credential). */
export async function statusOf(base: string, path: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${base}${path}`, { headers });
  await response.arrayBuffer();
  return response.status;
}
