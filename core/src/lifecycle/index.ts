export { stopOnSignal } from './stop-on-signal.js';
export { createPeriodicTask } from './periodic-task.js';
export type { PeriodicTask } from './periodic-task.js';
