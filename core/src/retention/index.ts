export { pruneExpiredRows } from './prune-expired-rows.js';
export type { Retention } from './prune-expired-rows.js';
