import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createDatabase, ensureDatabaseExists, migrateDatabase, type Database } from '../db/index.js';
import { createLogger } from '../logging/index.js';

const serverUrl = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://root@127.0.0.1:5432';
/**
 * One template per checkout (named after its path), so two checkouts testing at once on one server — a
 * clone for CI beside a working tree, or several worktrees — never drop or migrate each other's template.
 */
export const templateDatabaseName =
  process.env.TEST_TEMPLATE_DATABASE ??
  `repopulse_test_template_${createHash('sha256')
    .update(fileURLToPath(new URL('../../..', import.meta.url)))
    .digest('hex')
    .slice(0, 10)}`;

function urlFor(name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlFor('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Migrates the template database that every test file copies. The test runner calls it once before the
 * files start; a file run on its own migrates it itself (the migration lock keeps that safe).
 */
export async function prepareTemplateDatabase(options: { fresh: boolean }): Promise<void> {
  const url = urlFor(templateDatabaseName);
  if (options.fresh) {
    await withServer((client) =>
      client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(templateDatabaseName)} WITH (FORCE)`),
    );
  }
  await ensureDatabaseExists(url);
  await migrateDatabase(url, createLogger({ level: 'error', module: 'test', silent: true }));
}

export interface TestDatabase {
  url: string;
  name: string;
  database: Database;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** A database of its own for one test file: a copy of the migrated template, dropped afterwards. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (process.env.TEST_TEMPLATE_READY !== '1') await prepareTemplateDatabase({ fresh: false });
  const name = `repopulse_test_${randomBytes(6).toString('hex')}`;
  await withServer((client) =>
    client.query(
      `CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(templateDatabaseName)}`,
    ),
  );
  const url = urlFor(name);
  const database = createDatabase({
    url,
    logger: createLogger({ level: 'error', module: 'test', silent: true }),
    maxConnections: 5,
  });
  return {
    url,
    name,
    database,
    async drop() {
      await database.close();
      await withServer((client) =>
        client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
      );
    },
  };
}
