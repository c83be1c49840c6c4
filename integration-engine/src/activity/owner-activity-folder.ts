import type { Database, Logger } from '@repopulse/core';
import { foldOwnerActivityChanges } from './fold-owner-activity-changes.js';

export interface OwnerActivityFolder {
  start(): void;
  /** Waits for a fold under way, then stops. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Folds the owners' appended activity changes every `intervalMs`, so `owner_activity_changes` stays a few
 * seconds of writes long and the `owner_activity` view reads mostly folded rows. Several engines may fold
 * at once. A failed fold is tried again at the next tick; nothing is lost meanwhile (readers see the
 * changes either way).
 */
export function createOwnerActivityFolder(options: {
  database: Database;
  logger: Logger;
  intervalMs?: number;
}): OwnerActivityFolder {
  const { database, logger } = options;
  const intervalMs = options.intervalMs ?? 1_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  function tick(): void {
    if (stopped) return;
    running = foldOwnerActivityChanges(database)
      .then(
        (rows) => {
          if (rows > 0) logger.debug('owner activity folded', { rows });
        },
        (error: unknown) => {
          logger.warn('owner activity fold failed, will retry', { error: (error as Error).message });
        },
      )
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  }

  return {
    start: tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
