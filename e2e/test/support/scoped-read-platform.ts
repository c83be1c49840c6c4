import type { Queryable } from '@repopulse/core';
import { createTestDatabase, type TestDatabase } from '@repopulse/core/testing';
import { insertActivityDay } from '../../../output-gateway/test/builders.js';
import {
  insertRepositoryRow,
  insertSnapshot,
} from '../../../output-gateway/test/support/read-model-builders.js';
import type { ModuleProcess } from '../engine-process.js';
import { startListeningModule, stopProcesses } from './platform-processes.js';

const scopedReadAdminPassword = 'scoped-reads-test-admin-password';

/** A repository of the scoped-read data set, as the API names it. */
export interface SeededRepository {
  host: string;
  owner: string;
  name: string;
  language: string;
  stars: number;
}

// Every owner has a language of its own, so a language share in an answer tells whose repository it came
// from. Stars, gains and commits make the other owners' repositories the top of every unscoped list.
const seeds: Array<SeededRepository & { gained: number; commits: number }> = [
  {
    host: 'github.com',
    owner: 'acme',
    name: 'rockets',
    language: 'Rust',
    stars: 500,
    gained: 50,
    commits: 20,
  },
  {
    host: 'github.com',
    owner: 'acme',
    name: 'widgets',
    language: 'TypeScript',
    stars: 300,
    gained: 30,
    commits: 10,
  },
  { host: 'github.com', owner: 'acme', name: 'anvil', language: 'Rust', stars: 10, gained: 1, commits: 1 },
  { host: 'github.com', owner: 'Globex', name: 'gizmo', language: 'Go', stars: 200, gained: 20, commits: 5 },
  {
    host: 'github.com',
    owner: 'initech',
    name: 'secret-plans',
    language: 'COBOL',
    stars: 900,
    gained: 90,
    commits: 40,
  },
  {
    host: 'github.com',
    owner: 'initech',
    name: 'printer',
    language: 'COBOL',
    stars: 100,
    gained: 10,
    commits: 2,
  },
  {
    host: 'gitlab.example.org',
    owner: 'acme',
    name: 'mirror',
    language: 'Rust',
    stars: 50,
    gained: 5,
    commits: 3,
  },
  {
    host: 'gitlab.example.org',
    owner: 'umbrella',
    name: 'vault',
    language: 'Haskell',
    stars: 700,
    gained: 70,
    commits: 30,
  },
];

export const seededRepositories: readonly SeededRepository[] = seeds.map(
  ({ host, owner, name, language, stars }) => ({ host, owner, name, language, stars }),
);

/**
 * Repositories of several owners and two hosts, each with computed metrics and a day of activity, written
 * as the engine would.
 */
async function seedRepositories(database: Queryable): Promise<void> {
  for (const seed of seeds) {
    const id = await insertRepositoryRow(database, {
      host: seed.host,
      owner: seed.owner,
      name: seed.name,
      description: `The ${seed.name} tool`,
      language: seed.language,
      languages: { [seed.language]: seed.stars * 10 },
      stars: seed.stars,
      forks: 1,
      archived: false,
    });
    await insertSnapshot(database, id, {
      computedAt: new Date().toISOString(),
      metrics: { stars_gained_30d: seed.gained, commits_30d: seed.commits, commits_90d: seed.commits },
      healthScore: 50,
    });
    // Today's commits, for the 7-day trend (read from the activity rollup, not from the metrics).
    await insertActivityDay(database, id, new Date().toISOString().slice(0, 10), { commits: seed.commits });
  }
}

/**
 * The environment of each module of this platform: the one place that says what the proxy and the output
 * gateway are started with (and so where whatever they must share goes).
 */
export function scopedReadEnvironment(databaseUrl: string) {
  return {
    outputGateway: { DATABASE_URL: databaseUrl },
    permissionProxy: (outputGatewayUrl: string) => ({
      DATABASE_URL: databaseUrl,
      OUTPUT_GATEWAY_URL: outputGatewayUrl,
      JWT_SECRET: 'scoped-reads-test-jwt-secret-of-at-least-32-characters',
      ADMIN_PASSWORD: scopedReadAdminPassword,
      ACL_CACHE_TTL_MS: '0',
    }),
  };
}

export interface ScopedReadPlatform {
  proxyUrl: string;
  testDatabase: TestDatabase;
  stop(): Promise<void>;
}

/**
 * The real output gateway and the real permission proxy in front of it, each its own process, on a test
 * database holding the repositories above.
 */
export async function startScopedReadPlatform(): Promise<ScopedReadPlatform> {
  const processes: ModuleProcess[] = [];
  const testDatabase = await createTestDatabase();
  const stop = async () => {
    await stopProcesses(processes);
    await testDatabase.drop();
  };
  try {
    await seedRepositories(testDatabase.database);
    const environment = scopedReadEnvironment(testDatabase.url);
    const output = await startListeningModule('output-gateway', environment.outputGateway);
    processes.push(output.process);
    const proxy = await startListeningModule('permission-proxy', environment.permissionProxy(output.url));
    processes.push(proxy.process);
    return { proxyUrl: proxy.url, testDatabase, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
