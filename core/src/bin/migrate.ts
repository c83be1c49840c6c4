import { loadConfigOrExit, variables } from '../config/index.js';
import { ensureDatabaseExists, migrateDatabase } from '../db/index.js';
import { createLogger } from '../logging/index.js';

// `npm run migrate`: creates the database if needed and applies every pending migration.
const config = loadConfigOrExit({ DATABASE_URL: variables.DATABASE_URL, LOG_LEVEL: variables.LOG_LEVEL });
const logger = createLogger({ level: config.LOG_LEVEL, module: 'migrate' });
try {
  await ensureDatabaseExists(config.DATABASE_URL);
  const applied = await migrateDatabase(config.DATABASE_URL, logger);
  logger.info('database is up to date', { applied: applied.length });
} catch (error) {
  logger.error('migration failed', { error });
  process.exitCode = 1;
}
