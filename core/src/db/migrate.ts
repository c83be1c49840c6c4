import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../logging/index.js';

/** Numbered SQL files, only ever added; node-pg-migrate runs each in its own transaction. */
export const migrationsDirectory = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Applies every pending migration. node-pg-migrate holds a PostgreSQL advisory lock meanwhile, so
 * replicas starting at once do not race.
 */
export async function migrateDatabase(databaseUrl: string, logger: Logger): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: migrationsDirectory,
    direction: 'up',
    migrationsTable: 'schema_migrations',
    count: Infinity,
    checkOrder: true,
    // node-pg-migrate's default ('fail') makes the second of two replicas starting at once crash.
    advisoryLockMode: 'wait',
    log: (message) => logger.debug('migration', { message }),
  });
  const names = applied.map((migration) => migration.name);
  if (names.length > 0) logger.info('migrations applied', { migrations: names });
  return names;
}

/** Creates the database named in the URL if it is missing, from the maintenance database `postgres`. */
export async function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  const pg = (await import('pg')).default;
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount === 0) {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by another process
      });
    }
  } finally {
    await client.end();
  }
}
