import type { Logger } from '../logging/index.js';

export interface PeriodicTask {
  start(): void;
  /** Stops the timer and waits for a run in progress. Safe to call twice. */
  stop(): Promise<void>;
  /** Runs now (after a run in progress), for tests and for an immediate first run. */
  runNow(): Promise<void>;
}

/**
 * Runs `run` every `intervalMs` (plus up to `jitterMs` at random, so replicas started together spread out),
 * never two at once; a failing run is logged as a warning and the next one tries again.
 */
export function createPeriodicTask(options: {
  name: string;
  intervalMs: number;
  jitterMs?: number;
  run: () => Promise<void>;
  logger: Logger;
}): PeriodicTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  function runOnce(): Promise<void> {
    const current =
      running ??
      options
        .run()
        .catch((error: unknown) => {
          options.logger.warn(`${options.name} failed; trying again later`, { error });
        })
        .finally(() => {
          running = undefined;
        });
    running = current;
    return current;
  }

  function schedule(): void {
    if (stopped) return;
    const delay = options.intervalMs + Math.random() * (options.jitterMs ?? 0);
    timer = setTimeout(() => {
      void runOnce().then(schedule);
    }, delay);
    timer.unref();
  }

  return {
    start() {
      if (timer || stopped) return;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    async runNow() {
      await running;
      await runOnce();
    },
  };
}
