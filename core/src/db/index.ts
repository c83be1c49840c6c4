export { createDatabase } from './database.js';
export { isDatabaseConnectionError, isDataError, isTransientDatabaseError } from './database-errors.js';
export type { Database, DatabaseOptions, Queryable, QueryResult } from './database.js';
export { ensureDatabaseExists, migrateDatabase, migrationsDirectory } from './migrate.js';
export { prepared } from './prepared-statements.js';
export { createNotificationListener } from './notifications.js';
export type { NotificationListener, NotificationListenerOptions } from './notifications.js';
export { createDatabaseAvailability } from './database-availability.js';
export type { DatabaseAvailability } from './database-availability.js';
