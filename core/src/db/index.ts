export { createDatabase, isDataError, isTransientDatabaseError } from './database.js';
export type { Database, DatabaseOptions, Queryable, QueryResult } from './database.js';
export { ensureDatabaseExists, migrateDatabase, migrationsDirectory } from './migrate.js';
export { prepared } from './prepared-statements.js';
export { createNotificationListener } from './notifications.js';
export type { NotificationListener, NotificationListenerOptions } from './notifications.js';
