import type { Logger } from '../logging/index.js';
import type { Database } from './database.js';

export interface DatabaseAvailability {
  /** False from a reported connection failure until a probe answers again. */
  isAvailable(): boolean;
  /**
   * Work failed because PostgreSQL could not be reached: from now on the database counts as away, and a
   * trivial query every `probeIntervalMs` finds out when it is back. Listeners hear of the change once.
   */
  reportUnavailable(error: unknown): void;
  /** `listener(false)` when the database is reported away, `listener(true)` once it answers again. */
  onChange(listener: (available: boolean) => void): () => void;
  /** Stops probing. Safe to call twice. */
  stop(): void;
}

/**
 * Whether the database answers, as the queue workers need to know it: a worker whose transaction failed for
 * a connection reason reports it, every worker pauses consuming, and all resume once `SELECT 1` succeeds
 * again; so a restart of PostgreSQL costs no message an attempt and no consumer spins through
 * redeliveries meanwhile.
 */
export function createDatabaseAvailability(options: {
  database: Pick<Database, 'ping'>;
  logger: Logger;
  probeIntervalMs?: number;
}): DatabaseAvailability {
  const { logger } = options;
  const probeIntervalMs = options.probeIntervalMs ?? 1_000;
  const listeners = new Set<(available: boolean) => void>();
  let available = true;
  let lostAt = 0;
  let probeTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  function tell(state: boolean): void {
    for (const listener of listeners) {
      try {
        listener(state);
      } catch (error) {
        logger.warn('a listener of the database availability failed', { error });
      }
    }
  }

  function scheduleProbe(): void {
    if (stopped) return;
    probeTimer = setTimeout(() => {
      options.database.ping().then(
        () => {
          if (stopped) return;
          available = true;
          logger.info('database reachable again, resuming', { awayMs: Date.now() - lostAt });
          tell(true);
        },
        () => scheduleProbe(),
      );
    }, probeIntervalMs);
  }

  return {
    isAvailable: () => available,
    reportUnavailable(error) {
      if (!available || stopped) return;
      available = false;
      lostAt = Date.now();
      logger.warn('database unreachable, pausing until it answers again', {
        error: (error as Error | undefined)?.message,
      });
      tell(false);
      scheduleProbe();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      clearTimeout(probeTimer);
      listeners.clear();
    },
  };
}
