import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  removeTestTopology,
  startTestPostgres,
  testAmqpUrl,
  testQueuePrefix,
  type TestPostgres,
} from '@repopulse/core/testing';
import type { ModuleProcess } from '../engine-process.js';
import { startListeningModule, stopProcesses, type ListeningModule } from './platform-processes.js';

export const platformAdminPassword = 'database-restart-admin-password';
const jwtSecret = 'database-restart-test-jwt-secret-of-at-least-32-characters';
const retryDelaysMs = [500];

export type PlatformModule =
  'permission-proxy' | 'input-gateway' | 'integration-engine' | 'output-gateway' | 'admin-panel' | 'cron';

/** Every module with a database, each its own process, on a PostgreSQL of the test's own. */
export interface DatabaseRestartPlatform {
  postgres: TestPostgres;
  prefix: string;
  modules: Record<PlatformModule, ListeningModule>;
  stop(): Promise<void>;
}

/**
 * Starts a PostgreSQL server of its own (the test restarts it; the machine's server is shared) and on it the
 * input gateway, the engine, the output gateway, the admin panel, cron and the permission proxy in front of
 * them, on RabbitMQ under a queue prefix of their own.
 */
export async function startDatabaseRestartPlatform(): Promise<DatabaseRestartPlatform> {
  const prefix = testQueuePrefix();
  const processes: ModuleProcess[] = [];
  let postgres: TestPostgres | undefined;
  const directory = await mkdtemp(join(tmpdir(), 'database-restart-'));
  const stop = async () => {
    await stopProcesses(processes);
    await removeTestTopology(prefix, retryDelaysMs).catch(() => undefined);
    await postgres?.remove();
    await rm(directory, { recursive: true, force: true });
  };
  try {
    postgres = await startTestPostgres();
    await writeFile(join(directory, 'index.html'), '<!doctype html><title>Repo Pulse admin</title>');
    const common = {
      DATABASE_URL: postgres.url,
      AMQP_URL: testAmqpUrl,
      QUEUE_PREFIX: prefix,
      QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
    };
    const start = async (module: PlatformModule, env: Record<string, string> = {}) => {
      const started = await startListeningModule(module, { ...common, ...env });
      processes.push(started.process);
      return started;
    };
    // All at once (the database is migrated already; each module's own migration finds nothing to do).
    const [engine, inputGateway, outputGateway, adminPanel, cron] = await Promise.all([
      start('integration-engine', {
        QUEUE_PREFETCH: '4',
        METRICS_COMPUTE_DELAY_MS: '500',
        GIT_CACHE_DIR: join(directory, 'git'),
      }),
      start('input-gateway'),
      start('output-gateway'),
      start('admin-panel', { ADMIN_UI_DIR: directory }),
      start('cron', { CRON_RELOAD_INTERVAL_MS: '500' }),
    ]);
    const proxy = await start('permission-proxy', {
      INPUT_GATEWAY_URL: inputGateway.url,
      OUTPUT_GATEWAY_URL: outputGateway.url,
      ADMIN_PANEL_URL: adminPanel.url,
      JWT_SECRET: jwtSecret,
      ADMIN_PASSWORD: platformAdminPassword,
    });
    return {
      postgres,
      prefix,
      modules: {
        'permission-proxy': proxy,
        'input-gateway': inputGateway,
        'integration-engine': engine,
        'output-gateway': outputGateway,
        'admin-panel': adminPanel,
        cron,
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A module's `GET /ready` status, asked directly (not through the proxy), or 0 when it does not answer. */
export async function readinessOf(module: ListeningModule): Promise<number> {
  try {
    const response = await fetch(`${module.url}/ready`, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}
